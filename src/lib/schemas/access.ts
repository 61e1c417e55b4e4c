import { z } from 'zod';
import { newPasswordProblem } from '../domain/password-rules';

const userRoles = ['admin', 'leadership', 'user'] as const;

export const newApiKeySchema = z.object({
	name: z
		.string()
		.trim()
		.min(2, { error: 'Name the key after what uses it, e.g. “Zendesk export job”' })
		.max(80, { error: 'Keep the name under 80 characters' }),
	scopes: z.array(z.enum(['ingest', 'read'])).min(1, { error: 'Choose at least one permission' })
});

export const newUserSchema = z.object({
	email: z.email({ error: 'Enter a valid email address' }).max(200),
	name: z.string().trim().min(2, { error: 'Enter the person’s name' }).max(120),
	role: z.enum(userRoles, { error: 'Choose a role' }),
	password: z.string().superRefine((password, ctx) => {
		const problem = newPasswordProblem(password);
		if (problem) ctx.addIssue({ code: 'custom', message: problem });
	})
});

/** The account page: one's own password, changed with the current one. */
export const passwordChangeSchema = z
	.object({
		current: z.string().min(1, { error: 'Enter your current password' }).max(256),
		next: z.string().superRefine((password, ctx) => {
			const problem = newPasswordProblem(password);
			if (problem) ctx.addIssue({ code: 'custom', message: problem });
		}),
		confirm: z.string()
	})
	.superRefine((change, ctx) => {
		if (change.confirm !== change.next) {
			ctx.addIssue({ code: 'custom', path: ['confirm'], message: 'The two new passwords differ' });
		}
		if (change.next !== '' && change.next === change.current) {
			ctx.addIssue({
				code: 'custom',
				path: ['next'],
				message: 'Choose a password other than the current one'
			});
		}
	});

export const userChangeSchema = z.object({
	userId: z.coerce.number().int().positive(),
	role: z.enum(userRoles, { error: 'Choose a role' }).optional(),
	disabled: z.enum(['true', 'false']).optional()
});
