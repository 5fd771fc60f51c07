/** The server token the workerd suite's Postmark stand-in accepts (a binding of the Worker under test). */
export const WORKERD_POSTMARK_TOKEN = 'workerd-postmark-token';
