package io.junction.framing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An app server on a random loopback port that answers every request head it reads, on
 * any of its connections, with the bytes it was given, in one write, and records for each
 * connection whether the peer closed it. No HTTP library between the test and the bytes.
 */
final class RawAppServer implements AutoCloseable {

	private final ServerSocket listener;

	private final List<Connection> connections = new CopyOnWriteArrayList<>();

	private volatile byte[] response = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
		.getBytes(StandardCharsets.US_ASCII);

	private volatile boolean closeAfterResponse;

	// Written after the response once completed, for a response in two parts.
	private volatile CompletableFuture<byte[]> rest;

	private volatile Connection lastAnswered;

	private final AtomicInteger answered = new AtomicInteger();

	private RawAppServer() throws IOException {
		this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(this::accept, "raw-app-server-" + this.listener.getLocalPort());
		acceptor.setDaemon(true);
		acceptor.start();
	}

	static RawAppServer start() throws IOException {
		return new RawAppServer();
	}

	String url() {
		return "http://127.0.0.1:" + this.listener.getLocalPort();
	}

	/**
	 * Answers each request from now on with {@code bytes}, then closes the connection if
	 * {@code close}.
	 */
	void respondWith(byte[] bytes, boolean close) {
		this.response = bytes;
		this.closeAfterResponse = close;
		this.rest = null;
	}

	/**
	 * Answers the next request with {@code first}, and then, once the returned future is
	 * completed, its bytes.
	 */
	CompletableFuture<byte[]> respondInTwoParts(byte[] first) {
		CompletableFuture<byte[]> second = new CompletableFuture<>();
		this.response = first;
		this.closeAfterResponse = false;
		this.rest = second;
		return second;
	}

	/** How many requests it answered. */
	int answered() {
		return this.answered.get();
	}

	/** The connection that carried the last request answered. */
	Connection lastAnswered() {
		return this.lastAnswered;
	}

	private void accept() {
		while (!this.listener.isClosed()) {
			try {
				Socket socket = this.listener.accept();
				Connection connection = new Connection(socket);
				this.connections.add(connection);
				Thread reader = new Thread(connection::serve, "raw-app-connection");
				reader.setDaemon(true);
				reader.start();
			}
			catch (IOException ex) {
				// Closed: the test is over.
			}
		}
	}

	@Override
	public void close() throws IOException {
		this.listener.close();
		for (Connection connection : this.connections) {
			connection.socket.close();
		}
	}

	/** One accepted connection. */
	final class Connection {

		private final Socket socket;

		private volatile boolean closedByPeer;

		Connection(Socket socket) {
			this.socket = socket;
		}

		/** Whether Junction closed (or reset) the connection. */
		boolean closedByPeer() {
			return this.closedByPeer;
		}

		private void serve() {
			try (Socket socket = this.socket) {
				InputStream in = socket.getInputStream();
				OutputStream out = socket.getOutputStream();
				while (readHead(in)) {
					RawAppServer.this.lastAnswered = this;
					RawAppServer.this.answered.incrementAndGet();
					out.write(RawAppServer.this.response);
					out.flush();
					CompletableFuture<byte[]> rest = RawAppServer.this.rest;
					if (rest != null) {
						out.write(rest.join());
						out.flush();
					}
					if (RawAppServer.this.closeAfterResponse) {
						return;
					}
				}
				this.closedByPeer = true;
			}
			catch (IOException ex) {
				// A reset from Junction, or the test closing its server.
				this.closedByPeer = !RawAppServer.this.listener.isClosed();
			}
		}

		/** Reads a request head (Junction's requests here have no body); false at EOF. */
		private boolean readHead(InputStream in) throws IOException {
			int matched = 0;
			while (matched < 4) {
				int b = in.read();
				if (b < 0) {
					return false;
				}
				matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : ((b == '\r') ? 1 : 0);
			}
			return true;
		}

	}

}
