import { z } from 'zod';
import type { SessionUserDto } from './session-user';

/** Body of `POST /api/auth/login`. Shared by the route (parse) and the login form (same limits). */
export const loginRequestSchema = z.object({
  username: z.string().trim().min(1, 'Enter your username').max(128, 'Username is too long'),
  password: z.string().min(1, 'Enter your password').max(1024, 'Password is too long'),
});

export type LoginRequest = z.infer<typeof loginRequestSchema>;

export interface LoginResponse {
  user: SessionUserDto;
}
