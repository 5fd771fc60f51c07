import { describe, expect, it } from 'vitest';
import { useServer } from './server.ts';

// A test pair (`npm run vapid`), used nowhere else.
const VAPID = {
  VAPID_PUBLIC_KEY: 'BJsqMADJzdkQ7H_IJ0zfIEWsGZIeIxHTntQXG1Ivf_roE4CW9Ax5y6hf4hnwfKcITu7Pjdtcpv7g5jIvp9fVi6A',
  VAPID_PRIVATE_KEY: 'v8gdRBCEl3lBjmzitzaV_bn1kghOSqLhxmfNnzmfvg4',
  VAPID_SUBJECT: 'mailto:ops@expenseflow.test',
};
const subscription = (id: string) => ({
  endpoint: `https://push.example.test/send/${id}`,
  expirationTime: null,
  keys: { p256dh: 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM', auth: 'tBHItJI5svbpez7KI4CCXg' },
});

/** The Web Push routes on every host (delivery itself: plugins/notifications/push.test.ts and tests/workerd/push.test.ts). */
describe('Web Push subscriptions over HTTP', () => {
  const { api } = useServer(VAPID);

  it('hands out the VAPID key, subscribes a browser (push on), unsubscribes it; refuses a bad one', async () => {
    const user = await api.register();
    expect(await api.get('/api/notifications/push/vapid-key', user.token)).toMatchObject({ status: 200, body: { publicKey: VAPID.VAPID_PUBLIC_KEY } });
    const sub = subscription(crypto.randomUUID());
    const res = await api.post('/api/notifications/push/subscribe', sub, user.token);
    expect(res).toMatchObject({ status: 200, body: { success: true, enabled: true, types: expect.arrayContaining(['budget_alert']) } });
    expect((await api.get('/api/notifications/preferences', user.token)).body.channels.push.enabled).toBe(true);
    expect((await api.post('/api/notifications/push/unsubscribe', { endpoint: sub.endpoint }, user.token)).body).toEqual({ success: true, removed: true });
    expect((await api.post('/api/notifications/push/unsubscribe', { endpoint: sub.endpoint }, user.token)).body).toEqual({ success: true, removed: false });
    const bad = await api.post('/api/notifications/push/subscribe', { ...sub, endpoint: 'http://push.example.test/x' }, user.token);
    expect(bad).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    expect((await api.post('/api/notifications/push/subscribe', sub)).status).toBe(401);
  });
});
