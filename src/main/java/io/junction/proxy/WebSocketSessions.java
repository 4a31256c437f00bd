package io.junction.proxy;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

/**
 * The WebSocket sessions open through Junction. A session outlives any drain delay, so on
 * shutdown, once the drain delay is over (which stops first) and before the web server's
 * graceful shutdown waits for connections to end, every session is closed on both sides
 * with 1001 (going away): clients reconnect, through the load balancer, to another
 * gateway. A session that opens after that is closed the same way at once.
 */
final class WebSocketSessions implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(WebSocketSessions.class);

	private final Set<WebSocketTunnel> open = ConcurrentHashMap.newKeySet();

	private volatile boolean running;

	/** Whether a new session may stay open: false once Junction is stopping. */
	boolean add(WebSocketTunnel session) {
		this.open.add(session);
		if (!this.running) {
			this.open.remove(session);
			return false;
		}
		return true;
	}

	void remove(WebSocketTunnel session) {
		this.open.remove(session);
	}

	/** How many sessions are open. */
	int count() {
		return this.open.size();
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		int count = this.open.size();
		if (count > 0) {
			logger.info("closing " + count + " WebSocket sessions (1001, going away)");
		}
		for (WebSocketTunnel session : this.open) {
			session.drain();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * After the drain delay (stopped in the last phase, first), before the web server's
	 * graceful shutdown ({@code DEFAULT_PHASE - 1024}).
	 */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 512;
	}

}
