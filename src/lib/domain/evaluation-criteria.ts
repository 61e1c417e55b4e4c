// The quality criteria an evaluation run checks (docs/design.md "Evaluation run"), as data.

export const evaluationCriteria = [
	{ key: 'correct', label: 'Correct' },
	{ key: 'authorizedSources', label: 'Uses authorized sources' },
	{ key: 'tone', label: 'Respects tone' },
	{ key: 'saysIDontKnow', label: 'Says “I don’t know” when it should' },
	{ key: 'ambiguousHandled', label: 'Handles ambiguous cases' },
	{ key: 'sensitiveDataKept', label: 'Keeps sensitive data out' },
	{ key: 'permissionRespected', label: 'Acts only with permission' }
] as const;

export type CriterionKey = (typeof evaluationCriteria)[number]['key'];

export const criterionKeys = evaluationCriteria.map((c) => c.key) as [
	CriterionKey,
	...CriterionKey[]
];

export function criterionLabel(key: string): string {
	return evaluationCriteria.find((c) => c.key === key)?.label ?? key;
}
