package io.junction;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * When a test fails because something did not answer in time, prints every thread of the
 * test JVM: a request that hangs once in many CI runs cannot be found again from its
 * stack trace alone. Registered for all tests through the ServiceLoader
 * ({@code junit.jupiter.extensions.autodetection.enabled}).
 */
public class ThreadDumpOnTimeout implements TestExecutionExceptionHandler {

	@Override
	public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
		if (isTimeout(failure)) {
			StringBuilder dump = new StringBuilder("Threads when ").append(context.getDisplayName())
				.append(" of ")
				.append(context.getRequiredTestClass().getSimpleName())
				.append(" timed out:\n");
			for (ThreadInfo thread : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
				dump.append(describe(thread));
			}
			System.err.println(dump);
		}
		throw failure;
	}

	private static boolean isTimeout(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			String message = String.valueOf(cause.getMessage());
			if (cause instanceof TimeoutException || message.contains("Timeout") || message.contains("timed out")) {
				return true;
			}
		}
		return false;
	}

	// ThreadInfo.toString() cuts each stack at eight frames: too few to see who waits.
	private static String describe(ThreadInfo thread) {
		StringBuilder text = new StringBuilder().append('"')
			.append(thread.getThreadName())
			.append("\" ")
			.append(thread.getThreadState());
		if (thread.getLockName() != null) {
			text.append(" on ").append(thread.getLockName());
		}
		if (thread.getLockOwnerName() != null) {
			text.append(" owned by \"").append(thread.getLockOwnerName()).append('"');
		}
		text.append('\n');
		for (StackTraceElement frame : thread.getStackTrace()) {
			text.append("\tat ").append(frame).append('\n');
		}
		return text.append('\n').toString();
	}

}
