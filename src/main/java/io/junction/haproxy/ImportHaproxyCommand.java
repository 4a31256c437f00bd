package io.junction.haproxy;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.junction.haproxy.Losses.Loss;

/**
 * {@code java -jar junction.jar import-haproxy haproxy.cfg [-o junction.yml]}: writes the
 * Junction configuration equivalent to an haproxy.cfg, and lists on stderr every line it
 * could not convert, with why.
 */
public final class ImportHaproxyCommand {

	/** The command's name, the first argument. */
	public static final String NAME = "import-haproxy";

	/** Exit status when every line was converted. */
	public static final int OK = 0;

	/**
	 * Exit status when some lines were left out; the configuration is written all the
	 * same.
	 */
	public static final int LINES_LEFT_OUT = 1;

	/** Exit status when the command is used wrongly, or the file cannot be read. */
	public static final int USAGE = 2;

	private static final String USAGE_LINE = "usage: java -jar junction.jar import-haproxy haproxy.cfg [-o junction.yml]";

	private ImportHaproxyCommand() {
	}

	/**
	 * Converts the file that {@code args} name, writing YAML to {@code out} or to the
	 * file after {@code -o}, and the lines left out to {@code err}.
	 * @return the exit status
	 */
	public static int run(List<String> args, PrintStream out, PrintStream err) {
		Path output = null;
		Path input = null;
		for (int i = 0; i < args.size(); i++) {
			if (args.get(i).equals("-o") && i + 1 < args.size() && output == null) {
				output = Path.of(args.get(++i));
			}
			else if (input == null && !args.get(i).startsWith("-")) {
				input = Path.of(args.get(i));
			}
			else {
				err.println(USAGE_LINE);
				return USAGE;
			}
		}
		if (input == null) {
			err.println(USAGE_LINE);
			return USAGE;
		}
		HaproxyImport.Result result;
		try {
			result = HaproxyImport.convert(Files.readString(input, StandardCharsets.UTF_8), input.toString());
		}
		catch (IOException ex) {
			err.println(input + ": cannot be read (" + ex.getMessage() + ")");
			return USAGE;
		}
		catch (IllegalArgumentException ex) {
			err.println(input + ": " + ex.getMessage());
			return USAGE;
		}
		try {
			if (output != null) {
				Files.writeString(output, result.yaml(), StandardCharsets.UTF_8);
			}
			else {
				out.print(result.yaml());
			}
		}
		catch (IOException ex) {
			err.println(output + ": cannot be written (" + ex.getMessage() + ")");
			return USAGE;
		}
		for (Loss loss : result.losses()) {
			err.println(input + ":" + loss.line().number() + ": not converted: " + loss.line().text());
			err.println("    " + String.join("; ", loss.reasons()));
		}
		if (!result.losses().isEmpty()) {
			int count = result.losses().size();
			err.println(count + ((count == 1) ? " line" : " lines") + " not converted");
			return LINES_LEFT_OUT;
		}
		return OK;
	}

}
