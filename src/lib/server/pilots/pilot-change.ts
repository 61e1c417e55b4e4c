import { serviceContext, type ServiceContext } from '../context';
import type { Db } from '../db';
import { transaction } from '../db/statements';
import { refusal, type Result } from '../result';

/**
 * A write of one pilot in one transaction: `change` gets the pilot as `read` finds it (a 404
 * when there is no such pilot) and the resolved context.
 */
export async function changePilot<S, T>(
	slug: string,
	context: Partial<ServiceContext>,
	read: (slug: string, db: Db) => S | null,
	change: (current: S, context: ServiceContext) => Result<T> | Promise<Result<T>>
): Promise<Result<T>> {
	const resolved = serviceContext(context);
	return transaction(resolved.db, async (): Promise<Result<T>> => {
		const current = read(slug, resolved.db);
		return current ? await change(current, resolved) : refusal(404, `There is no pilot “${slug}”.`);
	});
}
