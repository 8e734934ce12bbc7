import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';

// The sign-in page's welcome for someone who followed an invite link (/join/CODE → /login?invite=CODE).
export function InviteWelcome({ code }: { code: string }) {
  const invite = useQuery({
    queryKey: ['invite', code],
    queryFn: () => api.get<{ inviter: { username: string | null } }>(`/api/referral/invite/${encodeURIComponent(code)}`),
    retry: false,
  });
  if (!invite.data) return null;
  return (
    <p className="glass card" data-testid="invite-welcome">
      <strong>@{invite.data.inviter.username ?? 'a friend'}</strong> invited you. Sign up below and you both help shape the movie.
    </p>
  );
}
