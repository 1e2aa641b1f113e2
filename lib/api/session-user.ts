/** The signed-in user as the UI sees it. */
export type RoleName = 'admin' | 'analyst' | 'sre' | 'viewer';

export const ROLE_NAMES: readonly RoleName[] = ['admin', 'analyst', 'sre', 'viewer'];

export interface SessionUserDto {
  id: string;
  username: string;
  displayName: string | null;
  role: RoleName;
}
