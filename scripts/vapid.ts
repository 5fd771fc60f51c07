/** `npm run vapid`: prints a fresh VAPID key pair as the environment lines that configure Web Push. */
import { generateVapidKeys } from '../core/push/webpush.ts';

const { publicKey, privateKey } = await generateVapidKeys();
console.log(`VAPID_PUBLIC_KEY=${publicKey}`);
console.log(`VAPID_PRIVATE_KEY=${privateKey}`);
console.log('VAPID_SUBJECT=mailto:you@example.com   # whom push services may contact about this server');
