/**
 * GET /v1/console/config: what the web console needs to know before anyone signs in: whether this server
 * offers dev "Sign in as", and the OpenID provider to send people to ("Sign in with your organisation").
 * Public and unauthenticated: everything here is what a browser sees anyway (no secrets: the console is a
 * public client using PKCE).
 */
import { Router } from 'express';
import { z } from 'zod';
import type { OidcConfig } from '../../config';

export const consoleConfigResponse = z.object({
  devSignIn: z.boolean().meta({ description: 'POST /v1/dev/token answers (dev mode)' }),
  oidc: z
    .object({
      issuer: z.url().meta({ description: "the provider's issuer (its discovery document is under it)" }),
      clientId: z.string().min(1),
      scope: z.string().min(1).meta({ description: 'space-separated scopes to request' }),
      resource: z.url().optional().meta({ description: 'RFC 8707 resource indicator to request' }),
      redirectPath: z
        .literal('/auth/callback')
        .meta({ description: "the console's redirect URI (this origin + this path)" }),
    })
    .optional()
    .meta({ description: 'present when "Sign in with your organisation" is on' }),
});
export type ConsoleConfig = z.infer<typeof consoleConfigResponse>;

/** The console's redirect URI is this origin plus this path (register it with the provider). */
export const OIDC_REDIRECT_PATH = '/auth/callback';

export function consoleConfigRoutes(opts: { devSignIn: boolean; oidc?: OidcConfig | undefined }): Router {
  const body: ConsoleConfig = {
    devSignIn: opts.devSignIn,
    ...(opts.oidc ? { oidc: { ...opts.oidc, redirectPath: OIDC_REDIRECT_PATH } } : {}),
  };
  const r = Router();
  r.get('/config', (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.json(body);
  });
  return r;
}
