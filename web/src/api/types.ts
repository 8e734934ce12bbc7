// Wire types of the aimoviez API, generated from docs/openapi.yaml (schema.d.ts, made by
// `npm run api-types`): the document is the one reference, and the app cannot drift from it.
import type { components } from './schema';

type Schemas = components['schemas'];

export type User = Schemas['User'];
export type Session = Schemas['Session'];
export type ClipStatus = Schemas['ClipStatus'];
export type Clip = Schemas['Clip'];
export type SlotStatus = Schemas['SlotStatus'];
export type Slot = Schemas['Slot'];
export type SeasonStatus = Schemas['SeasonStatus'];
export type Season = Schemas['Season'];
export type Feed = Schemas['Feed'];
export type VoteResult = Schemas['VoteResult'];
export type Flag = Schemas['Flag'];
export type AuditEntry = Schemas['AuditEntry'];
export type AppNotification = Schemas['Notification'];
export type NotificationPage = Schemas['NotificationPage'];
export type Badge = Schemas['Badge'];
export type Progress = Schemas['Progress'];
export type PublicUser = Schemas['PublicUser'];
export type PublicProfile = Schemas['PublicProfile'];
