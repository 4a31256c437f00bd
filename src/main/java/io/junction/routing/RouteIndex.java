package io.junction.routing;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.cloud.gateway.handler.predicate.PathRoutePredicateFactory;
import org.springframework.cloud.gateway.route.Route;

/**
 * The routes in their configured order, indexed by the literal path prefix each one
 * requires, so that a request is tested against the routes that can match its path, in
 * the same order, instead of against every route. First-match semantics are exactly those
 * of the ordered list: a route with no indexable prefix stays a candidate for every path.
 *
 * <p>
 * A prefix is taken only where it is a necessary condition of the route: from a
 * {@code Path} pattern, the literal part up to its last '/' before the first wildcard
 * (PathPattern lets {@code /foo/**} match {@code /foo}); from a {@code PathRegex}, the
 * literal characters after a leading {@code ^}, in a regex without alternation. Only
 * routes built from route definitions are indexed, since their predicates are all
 * required (AND); routes with any other shape are always candidates.
 */
final class RouteIndex {

	private final Route[] routes;

	private final BitSet alwaysCandidates = new BitSet();

	private final Node root = new Node();

	private RouteIndex(List<Route> routes) {
		this.routes = routes.toArray(Route[]::new);
	}

	/**
	 * Indexes {@code routes}, in order. {@code indexable} holds the ids of routes whose
	 * predicates are all required.
	 */
	static RouteIndex of(List<Route> routes, Set<String> indexable) {
		RouteIndex index = new RouteIndex(routes);
		for (int position = 0; position < routes.size(); position++) {
			Route route = routes.get(position);
			List<String> prefixes = indexable.contains(route.getId()) ? requiredPrefixes(route) : null;
			if (prefixes == null) {
				index.alwaysCandidates.set(position);
			}
			else {
				for (String prefix : prefixes) {
					index.root.insert(prefix, position);
				}
			}
		}
		return index;
	}

	int size() {
		return this.routes.length;
	}

	/** The routes that can match {@code rawPath}, in configured order. */
	List<Route> candidates(String rawPath) {
		BitSet positions = (BitSet) this.alwaysCandidates.clone();
		Node node = this.root;
		node.addTo(positions);
		for (int i = 0; i < rawPath.length() && node != null; i++) {
			node = node.child(rawPath.charAt(i));
			if (node != null) {
				node.addTo(positions);
			}
		}
		List<Route> candidates = new ArrayList<>(positions.cardinality());
		for (int position = positions.nextSetBit(0); position >= 0; position = positions.nextSetBit(position + 1)) {
			candidates.add(this.routes[position]);
		}
		return candidates;
	}

	/**
	 * The prefixes of which the path must start with one for the route to match, or null
	 * when the route requires none that can be known.
	 */
	private static @Nullable List<String> requiredPrefixes(Route route) {
		List<List<String>> required = new ArrayList<>();
		route.getPredicate().accept((predicate) -> {
			Object config = predicate.getConfig();
			if (config instanceof PathRoutePredicateFactory.Config path) {
				List<String> alternatives = new ArrayList<>();
				for (String pattern : path.getPatterns()) {
					alternatives.add(pathPatternPrefix(pattern));
				}
				required.add(alternatives);
			}
			else if (config instanceof PathRegexRoutePredicateFactory.Config regex && regex.getRegex() != null) {
				required.add(List.of(regexPrefix(regex.getRegex())));
			}
		});
		// Of several required predicates, the one with the longest shortest prefix
		// narrows the candidates most.
		List<String> best = null;
		int bestLength = 0;
		for (List<String> alternatives : required) {
			int shortest = Integer.MAX_VALUE;
			for (String prefix : alternatives) {
				shortest = Math.min(shortest, prefix.length());
			}
			if (shortest > bestLength) {
				best = alternatives;
				bestLength = shortest;
			}
		}
		return best;
	}

	/** The literal start that every path matching a PathPattern has. */
	static String pathPatternPrefix(String pattern) {
		String normalized = pattern.startsWith("/") ? pattern : "/" + pattern;
		int wildcard = indexOfAny(normalized, "{*?");
		if (wildcard < 0) {
			// A literal pattern also matches its path with or without a trailing '/'.
			return normalized.endsWith("/") ? normalized.substring(0, normalized.length() - 1) : normalized;
		}
		int lastSlash = normalized.lastIndexOf('/', wildcard);
		return normalized.substring(0, Math.max(lastSlash, 0));
	}

	/** The literal start that every path matching an anchored regex has, or "". */
	static String regexPrefix(String regex) {
		if (!regex.startsWith("^") || regex.indexOf('|') >= 0) {
			return "";
		}
		StringBuilder literal = new StringBuilder();
		int i = 1;
		while (i < regex.length()) {
			char c = regex.charAt(i);
			if (c == '\\') {
				if (i + 1 >= regex.length() || Character.isLetterOrDigit(regex.charAt(i + 1))) {
					break;
				}
				c = regex.charAt(i + 1);
				i += 2;
			}
			else if (".[]()*+?{}$^".indexOf(c) >= 0) {
				break;
			}
			else {
				i++;
			}
			if (i < regex.length() && "*?{".indexOf(regex.charAt(i)) >= 0) {
				// The character just read may occur zero times.
				break;
			}
			literal.append(c);
		}
		return literal.toString();
	}

	private static int indexOfAny(String text, String characters) {
		for (int i = 0; i < text.length(); i++) {
			if (characters.indexOf(text.charAt(i)) >= 0) {
				return i;
			}
		}
		return -1;
	}

	/** A trie node: the routes whose prefix ends here, and the next characters. */
	private static final class Node {

		private final Map<Character, Node> children = new HashMap<>();

		private final BitSet positions = new BitSet();

		void insert(String prefix, int position) {
			Node node = this;
			for (int i = 0; i < prefix.length(); i++) {
				node = node.children.computeIfAbsent(prefix.charAt(i), (c) -> new Node());
			}
			node.positions.set(position);
		}

		@Nullable Node child(char c) {
			return this.children.get(c);
		}

		void addTo(BitSet candidates) {
			if (!this.positions.isEmpty()) {
				candidates.or(this.positions);
			}
		}

	}

}
