package io.junction.haproxy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.junction.haproxy.HaproxyConfig.Line;

/**
 * An {@code if} or {@code unless} condition as an OR of branches, each an AND of tests
 * that may be negated: one route per branch. ACL names, {@code !}, juxtaposition (AND),
 * {@code ||} or {@code or} (OR) and anonymous ACLs in braces are read.
 */
record Condition(List<List<Test>> branches) {

	/** A criterion, or its negation. */
	record Test(Criterion criterion, boolean negated) {

		Test negate() {
			return new Test(this.criterion, !this.negated);
		}

	}

	/** The condition that always holds: one branch with no test. */
	static Condition always() {
		return new Condition(List.of(List.of()));
	}

	/**
	 * Reads {@code if|unless <terms>} from {@code words}.
	 * @param acls the section's named ACLs, each the criteria of its lines (OR)
	 * @throws NotConvertible naming the ACL or criterion that has no Junction equivalent
	 */
	static Condition parse(Line line, List<String> words, Map<String, List<Criterion>> acls,
			Map<String, String> unconvertibleAcls) throws NotConvertible {
		if (words.isEmpty()) {
			return always();
		}
		String keyword = words.get(0);
		if (!keyword.equals("if") && !keyword.equals("unless")) {
			throw new NotConvertible("expected 'if' or 'unless', found '" + keyword + "'");
		}
		List<List<Test>> branches = new ArrayList<>();
		List<List<Test>> term = List.of(List.of());
		List<String> terms = words.subList(1, words.size());
		for (int i = 0; i < terms.size(); i++) {
			String word = terms.get(i);
			if (word.equals("||") || word.equals("or")) {
				branches.addAll(term);
				term = List.of(List.of());
				continue;
			}
			boolean negated = false;
			while (word.startsWith("!")) {
				negated = !negated;
				word = word.substring(1);
				if (word.isEmpty() && i + 1 < terms.size()) {
					word = terms.get(++i);
				}
			}
			List<Criterion> criteria;
			if (word.equals("{")) {
				int close = terms.subList(i, terms.size()).indexOf("}");
				if (close < 0) {
					throw new NotConvertible("an anonymous ACL without '}'");
				}
				criteria = List.of(Criterion.parse(line, terms.subList(i + 1, i + close)));
				i += close;
			}
			else {
				criteria = named(line, word, acls, unconvertibleAcls);
			}
			term = and(term, negated ? negatedAll(criteria) : anyOf(criteria));
		}
		branches.addAll(term);
		Condition condition = new Condition(branches);
		return keyword.equals("unless") ? condition.negate() : condition;
	}

	private static List<Criterion> named(Line line, String name, Map<String, List<Criterion>> acls,
			Map<String, String> unconvertibleAcls) throws NotConvertible {
		if (unconvertibleAcls.containsKey(name)) {
			throw new NotConvertible("uses acl " + name + ", not converted: " + unconvertibleAcls.get(name));
		}
		List<Criterion> criteria = acls.get(name);
		if (criteria != null) {
			return criteria;
		}
		if (name.equals("TRUE")) {
			return List.of();
		}
		List<String> predefined = Criterion.predefined(name);
		if (!predefined.isEmpty()) {
			return List.of(Criterion.parse(line, predefined));
		}
		throw new NotConvertible("acl " + name + " is not defined in this section, or is a predefined ACL that "
				+ "Junction has no equivalent for");
	}

	// An ACL's criteria (its lines and values) are an OR: one branch each. TRUE has none.
	private static List<List<Test>> anyOf(List<Criterion> criteria) {
		if (criteria.isEmpty()) {
			return List.of(List.of());
		}
		return criteria.stream().map((criterion) -> List.of(new Test(criterion, false))).toList();
	}

	private static List<List<Test>> negatedAll(List<Criterion> criteria) {
		if (criteria.isEmpty()) {
			return List.of();
		}
		return List.of(criteria.stream().map((criterion) -> new Test(criterion, true)).toList());
	}

	private static List<List<Test>> and(List<List<Test>> left, List<List<Test>> right) {
		List<List<Test>> product = new ArrayList<>();
		for (List<Test> l : left) {
			for (List<Test> r : right) {
				List<Test> branch = new ArrayList<>(l);
				branch.addAll(r);
				product.add(List.copyOf(branch));
			}
		}
		return product;
	}

	/** NOT (b1 OR b2...): every branch fails, so one of each branch's tests fails. */
	Condition negate() {
		List<List<Test>> result = List.of(List.of());
		for (List<Test> branch : this.branches) {
			result = and(result, branch.stream().map((test) -> List.of(test.negate())).toList());
		}
		return new Condition(result);
	}

	/** The lines of the criteria that {@code branch} tests, in order, each once. */
	static List<Line> lines(List<Test> branch) {
		List<Line> lines = new ArrayList<>();
		for (Test test : branch) {
			for (Line line : test.criterion().lines()) {
				if (!lines.contains(line)) {
					lines.add(line);
				}
			}
		}
		return lines;
	}

}
