// Wire types of the aimoviez API (docs/openapi.yaml is the reference).
export interface User {
  id: number;
  username: string | null;
  avatar_url: string;
  email?: string;
  is_admin?: boolean;
  is_banned?: boolean;
  created_at: string;
}

export interface Session {
  authenticated: boolean;
  user: User | null;
  needsUsername?: boolean;
  devLoginEnabled: boolean;
  suggestedUsername?: string;
  csrfToken?: string;
}

export type ClipStatus = 'pending' | 'active' | 'locked' | 'eliminated' | 'rejected';

export interface Clip {
  id: number;
  season_id: number;
  slot_position: number;
  user_id: number | null;
  username: string;
  avatar_url: string;
  title: string;
  description: string;
  genre: string;
  video_url: string;
  thumbnail_url: string;
  duration_ms: number;
  status: ClipStatus;
  vote_count: number;
  weighted_score: number;
  view_count: number;
  comment_count: number;
  created_at: string;
  processing_status?: 'queued' | 'processing' | 'ready' | 'failed';
  processing_progress?: number;
  processing_error?: string;
}

export type SlotStatus = 'upcoming' | 'voting' | 'waiting_for_clips' | 'locked';

export interface Slot {
  id: number;
  season_id: number;
  slot_position: number;
  status: SlotStatus;
  genre: string;
  label: string;
  winner_clip_id: number | null;
  voting_started_at: string | null;
  voting_ends_at: string | null;
  locked_at: string | null;
  winner?: Clip;
  clip_count?: number;
  clips?: Clip[];
}

export type SeasonStatus = 'draft' | 'active' | 'finished' | 'archived';

export interface Season {
  id: number;
  label: string;
  genre: string;
  description: string;
  status: SeasonStatus;
  total_slots: number;
  voting_window_seconds: number;
  created_at: string;
  activated_at: string | null;
  finished_at: string | null;
  slots?: Slot[];
  locked_slots?: number;
  current_slot?: number | null;
  open_slot?: Slot;
}

export interface Feed {
  clips: Clip[];
  totalVotesToday: number;
  remainingVotes: { standard: number; super: number; mega: number };
  votedClipIds: number[];
  currentSlot: number | null;
  totalSlots: number | null;
  totalClipsInSlot: number;
  hasMoreClips: boolean;
  votingOpen: boolean;
  votingEndsAt: string | null;
  seasonId: number | null;
  seasonLabel: string | null;
  captchaRequired: boolean;
  powerVotesEnabled: boolean;
  multiVoteEnabled: boolean;
}

export interface VoteResult {
  success: boolean;
  clipId: number;
  newScore: number;
  voteCount: number;
  totalVotesToday: number;
  remainingVotes: { standard: number; super: number; mega: number };
  milestone?: number;
  // The vote's leaf in its round's public log (docs/VERIFIABILITY.md).
  receipt?: { leaf: string; leafHash: string; seasonId: number; slot: number };
}

export interface Flag {
  key: string;
  enabled: boolean;
  description: string;
  category: string;
}

export interface AuditEntry {
  id: number;
  action: string;
  resource_type: string;
  resource_id: string;
  admin_email: string;
  details: Record<string, unknown>;
  created_at: string;
}

export interface AppNotification {
  id: number;
  type: string;
  title: string;
  body: string;
  link: string;
  read: boolean;
  createdAt: string;
}

export interface NotificationPage {
  notifications: AppNotification[];
  unreadCount: number;
  nextCursor: string | null;
}

export interface Badge {
  id: string;
  name: string;
  icon: string;
  description: string;
  progress: number;
  target: number;
  unlocked: boolean;
  unlockedAt: string | null;
}

export interface Progress {
  xp: number;
  level: number;
  levelStartXp: number;
  nextLevelXp: number;
  streakDays: number;
  bestStreak: number;
  votesCast: number;
  badges: Badge[];
  recentXp: { kind: string; xp: number; at: string }[];
}

export interface PublicUser {
  id: number;
  username: string | null;
  avatar_url: string;
  created_at: string;
}

export interface PublicProfile {
  user: PublicUser;
  level: number;
  xp: number;
  streakDays: number;
  badges: Pick<Badge, 'id' | 'name' | 'icon' | 'description'>[];
  followers: number;
  following: number;
  isFollowing: boolean;
  isBlocked: boolean;
  isMe: boolean;
  wins: number;
  clips: Clip[];
}
