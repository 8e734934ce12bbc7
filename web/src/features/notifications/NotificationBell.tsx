import { NavLink } from 'react-router-dom';
import { useUnreadCount } from './useNotifications';
import { Bell } from '../../components/icons';

// The bell in the navigation: a link to the inbox with the unread count on it.
export function NotificationBell() {
  const unread = useUnreadCount();
  const label = unread > 0 ? `Notifications, ${unread} unread` : 'Notifications';
  return (
    <NavLink to="/notifications" className="bell" aria-label={label} data-testid="notification-bell">
      <Bell size={20} />
      {unread > 0 && <span className="bell-count" data-testid="unread-count">{unread > 99 ? '99+' : unread}</span>}
    </NavLink>
  );
}
