package io.junction;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class after which Netty reports a buffer that was never released: "nothing
 * leaks" is checked on every run, not read from the log by chance. Netty tracks every
 * buffer ({@code PARANOID}) and reports a leaked one when the garbage collector finds it;
 * after each class this check collects garbage and asks Netty to report. A leak from an
 * earlier class that no collection had found yet can surface here: the records printed
 * show where the buffer went. Registered for all tests through the ServiceLoader
 * ({@code junit.jupiter.extensions.autodetection.enabled}), early enough to come before
 * Netty's first buffer.
 */
public class NettyBufferLeakCheck implements AfterAllCallback {

	private static final List<String> leaks = new CopyOnWriteArrayList<>();

	static {
		ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
		ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory() {

			@Override
			@SuppressWarnings("deprecation")
			public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
					long maxActive) {
				ResourceLeakDetector<T> detector = new ResourceLeakDetector<>(resource, samplingInterval, maxActive);
				detector.setLeakListener((type, records) -> leaks.add(type + " leaked; last uses:\n" + records));
				return detector;
			}

		});
	}

	@Override
	public void afterAll(ExtensionContext context) {
		// Netty looks for collected buffers each time it tracks a new one.
		for (int i = 0; i < 3; i++) {
			System.gc();
			ByteBufAllocator.DEFAULT.directBuffer(1).release();
		}
		if (!leaks.isEmpty()) {
			List<String> found = List.copyOf(leaks);
			leaks.clear();
			throw new AssertionError(found.size() + " Netty buffer(s) never released, found after "
					+ context.getRequiredTestClass().getSimpleName() + ":\n" + String.join("\n", found));
		}
	}

}
