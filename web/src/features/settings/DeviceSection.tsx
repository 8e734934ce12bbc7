import { useEffect, useState, useSyncExternalStore } from 'react';
import { api, ApiError } from '../../api/client';
import { base64UrlToBytes, canInstall, onInstallChange, promptInstall } from '../../pwa/serviceWorker';

type PushState = 'unsupported' | 'denied' | 'off' | 'on' | 'working';

async function currentSubscription(): Promise<PushSubscription | null> {
  const reg = await navigator.serviceWorker.getRegistration('/');
  return reg ? reg.pushManager.getSubscription() : null;
}

// This device: push notifications on or off (the browser asks permission), and installing the
// app to the home screen when the browser offers it (spec 4.8).
export function DeviceSection({ signedIn }: { signedIn: boolean }) {
  const supported = typeof window !== 'undefined' && 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
  const [push, setPush] = useState<PushState>(supported ? 'off' : 'unsupported');
  const [error, setError] = useState<string | null>(null);
  const installable = useSyncExternalStore(onInstallChange, canInstall);

  useEffect(() => {
    if (!supported) return;
    if (Notification.permission === 'denied') { setPush('denied'); return; }
    void currentSubscription().then((s) => setPush(s ? 'on' : 'off'));
  }, [supported]);

  const turnOn = async () => {
    setError(null);
    setPush('working');
    try {
      if ((await Notification.requestPermission()) !== 'granted') { setPush('denied'); return; }
      const reg = await navigator.serviceWorker.ready;
      const { publicKey } = await api.get<{ publicKey: string }>('/api/notifications/vapid-key');
      const sub = await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: base64UrlToBytes(publicKey) });
      await api.post('/api/notifications/subscribe', sub.toJSON());
      setPush('on');
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'This browser could not turn on notifications');
      setPush('off');
    }
  };
  const turnOff = async () => {
    setPush('working');
    const sub = await currentSubscription();
    if (sub) {
      await api.post('/api/notifications/unsubscribe', { endpoint: sub.endpoint }).catch(() => undefined);
      await sub.unsubscribe();
    }
    setPush('off');
  };

  return (
    <section className="glass card stack" aria-labelledby="device-h" style={{ marginTop: 16 }}>
      <h2 id="device-h" style={{ margin: 0 }}>This device</h2>
      {signedIn && (
        <div className="row" style={{ justifyContent: 'space-between', flexWrap: 'wrap' }}>
          <span>Push notifications {push === 'on' ? 'are on' : push === 'denied' ? 'are blocked in the browser settings' : push === 'unsupported' ? 'are not supported by this browser' : 'are off'}</span>
          {(push === 'off' || push === 'working') && <button className="btn btn-small btn-primary" disabled={push === 'working'} onClick={() => void turnOn()}>Turn on</button>}
          {push === 'on' && <button className="btn btn-small" onClick={() => void turnOff()}>Turn off</button>}
        </div>
      )}
      {error && <p role="alert" className="badge badge-rejected">{error}</p>}
      {installable ? (
        <button className="btn" onClick={() => void promptInstall()}>Install AiMoviez on this device</button>
      ) : (
        <p className="muted" style={{ margin: 0 }}>To install the app, use your browser's “Add to Home Screen” or install button.</p>
      )}
    </section>
  );
}
