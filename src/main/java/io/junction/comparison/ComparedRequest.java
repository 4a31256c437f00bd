package io.junction.comparison;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * One request sent to both HAProxy and Junction. A requests file holds one per line:
 * {@code [METHOD] /path?query [| Name: value]...}, such as
 * {@code GET /services/foo/v1/x | Host: api.example.com}; {@code #} starts a comment.
 *
 * @param method the method
 * @param target the path and query, as sent
 * @param host the Host header, or null for the proxy's address
 * @param headers the other headers
 */
record ComparedRequest(String method, String target, @Nullable String host, Map<String, String> headers) {

	static ComparedRequest get(String target) {
		return new ComparedRequest("GET", target, null, Map.of());
	}

	/** The request as one line of a requests file. */
	String describe() {
		StringBuilder line = new StringBuilder(this.method).append(' ').append(this.target);
		if (this.host != null) {
			line.append(" | Host: ").append(this.host);
		}
		this.headers.forEach((name, value) -> line.append(" | ").append(name).append(": ").append(value));
		return line.toString();
	}

	/**
	 * The requests of {@code file}.
	 * @throws IllegalArgumentException naming the line that cannot be read
	 */
	static List<ComparedRequest> read(Path file) throws IOException {
		List<ComparedRequest> requests = new ArrayList<>();
		List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
		for (int i = 0; i < lines.size(); i++) {
			String line = lines.get(i).strip();
			if (line.isEmpty() || line.startsWith("#")) {
				continue;
			}
			try {
				requests.add(parse(line));
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException(file + ":" + (i + 1) + ": " + ex.getMessage());
			}
		}
		return requests;
	}

	static ComparedRequest parse(String line) {
		String[] parts = line.split("\\s*\\|\\s*");
		String[] request = parts[0].strip().split("\\s+");
		if (request.length > 2 || !request[request.length - 1].startsWith("/")) {
			throw new IllegalArgumentException(
					"a request is [METHOD] /path?query [| Name: value]..., not '" + line + "'");
		}
		String method = (request.length == 2) ? request[0].toUpperCase(Locale.ROOT) : "GET";
		String host = null;
		Map<String, String> headers = new LinkedHashMap<>();
		for (int i = 1; i < parts.length; i++) {
			int colon = parts[i].indexOf(':');
			if (colon <= 0) {
				throw new IllegalArgumentException("a header is 'Name: value', not '" + parts[i] + "'");
			}
			String name = parts[i].substring(0, colon).strip();
			String value = parts[i].substring(colon + 1).strip();
			if (name.equalsIgnoreCase("Host")) {
				host = value;
			}
			else {
				headers.put(name, value);
			}
		}
		return new ComparedRequest(method, request[request.length - 1], host, headers);
	}

}
