// Prepares a running server for the vote benchmark: an admin, an active season whose open slot
// has N approved clips, and an anonymous device cookie with its CSRF token. Prints one JSON line.
import { Client, adminClient, seasonWithClips } from '../tests/http/helpers.mjs';

const [url, dataDir, clipCount] = process.argv.slice(2);
const server = { url, dataDir };
const admin = await adminClient(server, 'bench-admin@example.com');
const { clipIds } = await seasonWithClips(server, admin, Number(clipCount), { slots: 75, window: 7 * 86400, label: 'Benchmark' });
const visitor = new Client(url);
await visitor.refreshCsrf();
console.log(JSON.stringify({ clipIds, device: visitor.cookies.get('aimoviez_device'), csrf: visitor.csrf }));
