/** The VAPID pair the Worker signs Web Push with in the workers project (a test key, nothing else uses it). */
export const WORKERD_VAPID = {
  VAPID_PUBLIC_KEY: 'BGnUSueAPNIwo8ga6hqeEd-0_9QBpkVy-Q_PKOt7QfbCV7NsRM40zxQpIJV4avU8S5d3JmcJKecUoiM3dxC3m_o',
  VAPID_PRIVATE_KEY: 'ngBJkZOUHE9PVxiM1v24OVub4n2XrS_VB6sB3tGEro8',
  VAPID_SUBJECT: 'mailto:ops@expenseflow.test',
};
