// Auth0 log event type codes (https://auth0.com/docs/deploy-monitor/logs/log-event-type-codes) →
// description (event.action is its kebab-case form, as Elastic writes it), classification, outcome,
// ECS categorisation and the IDs the event evidences (docs/parsers.md).
import { m, type EventRule } from '../json-fields.js';

export interface CodeInfo {
  description: string;
  classification: string;
  outcome?: 'success' | 'failure';
  rule: EventRule;
}

const loginOk = m('authentication,session', 'info,start', '', 'P1a');
const loginFail = m('authentication', 'info', '', 'P1a');
const logout = m('authentication,session', 'info,end', '', 'P1c');
const mfaCheck = m('authentication', 'info', '', 'P1b');
const mfaChange = (req: string) => m('iam', 'user,change', req, 'P2a');
const blocked = m('iam', 'user,change', 'B1.2', 'P1a');
const password = m('iam', 'user,change', 'B1.6', 'P2a');
const userChange = m('iam', 'user,change', '', 'P2a');
const token = m('authentication', 'info');
const info = m('configuration', 'info');

type Row = [code: string, description: string, classification: string, outcome: '' | 'success' | 'failure', rule: EventRule];

const ROWS: Row[] = [
  ['s', 'Successful login', 'Login - Success', 'success', loginOk],
  ['scoa', 'Successful cross-origin authentication', 'Login - Success', 'success', loginOk],
  ['sens', 'Successful native social login', 'Login - Success', 'success', loginOk],
  ['f', 'Failed login', 'Login - Failure', 'failure', loginFail],
  ['fc', 'Failed connector login', 'Login - Failure', 'failure', loginFail],
  ['fco', "Origin is not in the application's Allowed Origins list", 'Login - Failure', 'failure', loginFail],
  ['fcoa', 'Failed cross-origin authentication', 'Login - Failure', 'failure', loginFail],
  ['fens', 'Failed native social login', 'Login - Failure', 'failure', loginFail],
  ['fp', 'Incorrect password', 'Login - Failure', 'failure', loginFail],
  ['fu', 'Invalid email or username', 'Login - Failure', 'failure', loginFail],
  ['w', 'Warnings during login', 'Login - Notification', '', m('authentication', 'info')],
  ['pwd_leak', 'Breached password', 'Login - Notification', '', m('authentication', 'info', '', 'P1a')],
  ['ssa', 'Successful silent authentication', 'Silent Authentication - Success', 'success', m('authentication,session', 'info')],
  ['fsa', 'Failed silent authentication', 'Silent Authentication - Failure', 'failure', m('authentication,session', 'info')],
  ['slo', 'User successfully logged out', 'Logout - Success', 'success', logout],
  ['flo', 'User logout failed', 'Logout - Failure', 'failure', logout],
  ['ss', 'Successful signup', 'Signup - Success', 'success', m('iam', 'user,creation', 'B1.1', 'P2a')],
  ['fs', 'User signup failed', 'Signup - Failure', 'failure', m('iam', 'user,creation', 'B1.1', 'P2a')],
  ['signup_pwd_leak', 'Breached password on signup', 'Signup - Failure', 'failure', m('iam', 'user,creation', '', 'P2a')],
  ['scp', 'Successfully changed password', 'User/Behavioral - Success', 'success', password],
  ['fcp', 'Failed to change password', 'User/Behavioral - Failure', 'failure', password],
  ['scpr', 'Successful change password request', 'User/Behavioral - Success', 'success', password],
  ['fcpr', 'Failed change password request', 'User/Behavioral - Failure', 'failure', password],
  ['limit_wc', 'Blocked account', 'System - Notification', '', blocked],
  ['limit_sul', 'Blocked user', 'System - Notification', '', blocked],
  ['limit_mu', 'Blocked IP address', 'System - Notification', '', blocked],
  ['ublkdu', 'User block setup by anomaly detection has been released', 'User/Behavioral - Notification', 'success', m('iam', 'user,change', 'B1.3', 'P2a')],
  ['du', 'User has been deleted', 'User/Behavioral - Notification', 'success', m('iam', 'user,deletion', '', 'P2a')],
  ['sdu', 'User successfully deleted', 'User/Behavioral - Success', 'success', m('iam', 'user,deletion', '', 'P2a')],
  ['fdu', 'Failed user deletion', 'User/Behavioral - Failure', 'failure', m('iam', 'user,deletion', '', 'P2a')],
  ['sui', 'Successfully imported users', 'User/Behavioral - Success', 'success', m('iam', 'user,creation', 'B1.1', 'P2a')],
  ['fui', 'Failed to import users', 'System - Notification', 'failure', m('iam', 'user,creation', 'B1.1', 'P2a')],
  ['sce', 'Successfully changed user email', 'User/Behavioral - Success', 'success', userChange],
  ['fce', 'Failed to change user email', 'User/Behavioral - Failure', 'failure', userChange],
  ['scu', 'Successfully changed username', 'User/Behavioral - Success', 'success', userChange],
  ['fcu', 'Failed to change username', 'User/Behavioral - Failure', 'failure', userChange],
  ['scpn', 'Successfully changed phone number', 'User/Behavioral - Success', 'success', userChange],
  ['fcpn', 'Failed to change phone number', 'User/Behavioral - Failure', 'failure', userChange],
  ['gd_enrollment_complete', 'Guardian enrollment complete', 'User/Behavioral - Notification', 'success', mfaChange('B1.10.1')],
  ['gd_start_enroll', 'Guardian enrollment started', 'User/Behavioral - Notification', '', mfaChange('')],
  ['gd_unenroll', 'Guardian unenroll', 'User/Behavioral - Notification', 'success', mfaChange('B1.10.2')],
  ['gd_update_device_account', 'Guardian device account updated', 'User/Behavioral - Notification', 'success', mfaChange('B1.10.3')],
  ['gd_recovery_succeed', 'Guardian recovery succeeded', 'User/Behavioral - Success', 'success', mfaChange('B1.10.4')],
  ['gd_recovery_failed', 'Guardian recovery failed', 'User/Behavioral - Failure', 'failure', mfaChange('B1.10.4')],
  ['gd_start_auth', 'Second factor authentication started', 'Login - Notification', '', mfaCheck],
  ['gd_auth_succeed', 'Guardian second factor authentication succeeded', 'Login - Success', 'success', mfaCheck],
  ['gd_auth_failed', 'Guardian second factor authentication failed', 'Login - Failure', 'failure', mfaCheck],
  ['gd_auth_rejected', 'Guardian second factor authentication rejected', 'Login - Failure', 'failure', mfaCheck],
  ['gd_otp_rate_limit_exceed', 'Too many failed OTP attempts', 'Login - Failure', 'failure', mfaCheck],
  ['gd_send_pn', 'Push notification for MFA sent', 'Login - Notification', 'success', mfaCheck],
  ['gd_send_sms', 'SMS for MFA sent', 'Login - Notification', 'success', mfaCheck],
  ['gd_send_voice', 'Voice call for MFA made', 'Login - Notification', 'success', mfaCheck],
  ['gd_send_email', 'Email for MFA sent', 'Login - Notification', 'success', mfaCheck],
  ['mfar', 'Multi-factor authentication required', 'Login - Notification', '', mfaCheck],
  ['sepft', 'Successful exchange of Password for Access Token', 'Token Exchange - Success', 'success', m('authentication', 'info', '', 'P1a')],
  ['fepft', 'Failed exchange of Password for Access Token', 'Token Exchange - Failure', 'failure', m('authentication', 'info', '', 'P1a')],
  ['seotpft', 'Successful exchange of Password and OTP Challenge for Access Token', 'Token Exchange - Success', 'success', mfaCheck],
  ['feotpft', 'Failed exchange of Password and OTP Challenge for Access Token', 'Token Exchange - Failure', 'failure', mfaCheck],
  ['seoobft', 'Successful exchange of Password and OOB Challenge for Access Token', 'Token Exchange - Success', 'success', mfaCheck],
  ['feoobft', 'Failed exchange of Password and OOB Challenge for Access Token', 'Token Exchange - Failure', 'failure', mfaCheck],
  ['sercft', 'Successful exchange of Password and MFA Recovery code for Access Token', 'Token Exchange - Success', 'success', m('authentication', 'info', 'B1.10.4', 'P1b')],
  ['fercft', 'Failed exchange of Password and MFA Recovery code for Access Token', 'Token Exchange - Failure', 'failure', m('authentication', 'info', 'B1.10.4', 'P1b')],
  ['seacft', 'Successful exchange of Authorization Code for Access Token', 'Token Exchange - Success', 'success', token],
  ['feacft', 'Failed exchange of Authorization Code for Access Token', 'Token Exchange - Failure', 'failure', token],
  ['seccft', 'Successful exchange of Access Token for a Client Credentials Grant', 'Token Exchange - Success', 'success', token],
  ['feccft', 'Failed exchange of Access Token for a Client Credentials Grant', 'Token Exchange - Failure', 'failure', token],
  ['sertft', 'Successful exchange of Refresh Token for Access Token', 'Token Exchange - Success', 'success', token],
  ['fertft', 'Failed exchange of Refresh Token for Access Token', 'Token Exchange - Failure', 'failure', token],
  ['ferrt', 'Failed exchange of Rotating Refresh Token', 'Token Exchange - Failure', 'failure', token],
  ['sede', 'Successful exchange of Device Code for Access Token', 'Token Exchange - Success', 'success', token],
  ['fede', 'Failed exchange of Device Code for Access Token', 'Token Exchange - Failure', 'failure', token],
  ['sapi', 'Successful Management API operation', 'Management API - Success', 'success', m('configuration', 'change')],
  ['fapi', 'Failed Management API operation', 'Management API - Failure', 'failure', m('configuration', 'change')],
  ['mgmt_api_read', 'API GET operation returning secrets completed successfully', 'Management API - Success', 'success', m('configuration', 'access')],
  ['api_limit', 'Rate limit on the Authentication or Management APIs', 'System - Notification', '', info],
  ['cs', 'Passwordless login code has been sent', 'User/Behavioral - Notification', 'success', m('authentication', 'info')],
  ['cls', 'Passwordless login code/link has been sent', 'User/Behavioral - Notification', 'success', m('authentication', 'info')],
  ['sv', 'Sent verification email', 'User/Behavioral - Success', 'success', info],
  ['fv', 'Failed to send verification email', 'User/Behavioral - Failure', 'failure', info],
  ['srrt', 'Successfully revoked a Refresh Token', 'User/Behavioral - Success', 'success', m('session', 'end', '', 'P1f')],
];

export const CODES: ReadonlyMap<string, CodeInfo> = new Map(
  ROWS.map(([code, description, classification, outcome, rule]) => [code, { description, classification, ...(outcome ? { outcome } : {}), rule }]),
);

/**
 * Management API calls (sapi) say what they did in their description: those that create users, grant
 * roles or remove MFA evidence more than a configuration change.
 */
export const MANAGEMENT: Record<string, EventRule> = {
  'Create a User': m('iam', 'user,creation', 'B1.1', 'P2a'),
  'Delete a User': m('iam', 'user,deletion', '', 'P2a'),
  'Assign roles to a user': m('iam', 'admin,change', 'B1.9', 'P2c'),
  'Removes roles from a user': m('iam', 'admin,change', 'B1.9', 'P2c'),
  'Assign users to a role': m('iam', 'admin,change', 'B1.9', 'P2c'),
  'Assign Permissions to a user': m('iam', 'admin,change', 'B1.9', 'P2c'),
  'Unblock a user': m('iam', 'user,change', 'B1.3', 'P2a'),
  'Unblock by identifier': m('iam', 'user,change', 'B1.3', 'P2a'),
  "Delete a User's multi-factor provider": mfaChange('B1.10.2'),
  'Delete an authentication method': mfaChange('B1.10.2'),
  'Delete all authentication methods': mfaChange('B1.10.2'),
  'Generate new Guardian recovery code': mfaChange('B1.10.3'),
  'Invalidate all remembered browsers for MFA': mfaChange('B1.10.3'),
};

/** "Successful login" → "successful-login". */
export function kebab(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
