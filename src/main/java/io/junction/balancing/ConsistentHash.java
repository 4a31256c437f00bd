package io.junction.balancing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.junction.pools.PoolServer;

/**
 * HAProxy's {@code balance uri|hdr|source} with {@code hash-type consistent}, with
 * bounded loads (Mirrokni, Thorup and Zadimoghaddam; Envoy's
 * {@code hash_balance_factor}): each request's key ({@link Candidates#key()}) lands on a
 * ring where every server in rotation holds points in proportion to its weight, and goes
 * to the first server clockwise that is a candidate and holds fewer requests in flight
 * than its bound, {@code factor} times its weighted share of them all (of one per server
 * when fewer are in flight). So the same key reaches the same server while it takes
 * requests; a server that leaves moves only its own keys, and takes them back when it
 * returns; and no server carries more than its bound, however skewed the keys.
 *
 * <p>
 * The ring depends on the servers in rotation and their weights only: it is built when
 * those change (the operator's weight or admin state, a reload, each step of a slow
 * start) and read lock-free.
 */
public final class ConsistentHash implements Balancer {

	/** Points on the ring of a server with the pool's highest weight. */
	static final int POINTS = 160;

	private final double factor;

	// The rings for the rotation orders they were built from: of the normal servers,
	// and of the backups, which take the keys while no normal server is a candidate.
	private volatile @Nullable Ring ring;

	private volatile @Nullable Ring backupRing;

	/**
	 * @param factor the bound on a server's requests in flight, as a multiple of its
	 * share of them all (above 1)
	 */
	public ConsistentHash(double factor) {
		this.factor = factor;
	}

	@Override
	public @Nullable PoolServer choose(Candidates candidates) {
		Ring ring = ringFor(candidates);
		if (ring.points.length == 0) {
			// Every server is drained, in maintenance or weighted 0: the operator's call.
			return null;
		}
		List<PoolServer> servers = candidates.servers();
		long inFlight = 0;
		long weights = 0;
		int count = 0;
		// Indexed: the for-each loop's iterator is not always optimised away.
		for (int i = 0; i < servers.size(); i++) {
			PoolServer server = servers.get(i);
			if (candidates.accepts(server)) {
				inFlight += server.traffic().current();
				weights += server.state().effectiveWeight();
				count++;
			}
		}
		if (weights == 0) {
			return null;
		}
		// The request being placed counts. With fewer requests in flight than servers,
		// the bound is taken as if there were one per server: else a server holding one
		// request would be full, and a key would move whenever its server was busy at
		// all.
		double perWeight = this.factor * Math.max(inFlight + 1, count) / weights;
		int start = ring.first(candidates.key());
		@Nullable PoolServer overBound = null;
		for (int i = 0; i < ring.points.length; i++) {
			PoolServer server = servers.get(ring.servers[(start + i) % ring.points.length]);
			if (!candidates.accepts(server)) {
				continue;
			}
			if (server.traffic().current() < Math.ceil(perWeight * server.state().effectiveWeight())) {
				return server;
			}
			if (overBound == null) {
				overBound = server;
			}
		}
		// Only when requests raced past the bounds: the key's own server then.
		return overBound;
	}

	private Ring ringFor(Candidates candidates) {
		boolean backups = candidates.usesBackups();
		int[] order = candidates.order();
		Ring ring = backups ? this.backupRing : this.ring;
		if (ring == null || ring.order != order) {
			ring = Ring.of(candidates.servers(), order);
			if (backups) {
				this.backupRing = ring;
			}
			else {
				this.ring = ring;
			}
		}
		return ring;
	}

	/** The 64-bit hash of a key: FNV-1a over its UTF-8 bytes, then mixed. */
	public static long hash(String key) {
		long hash = 0xcbf29ce484222325L;
		for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
			hash ^= b & 0xFF;
			hash *= 0x100000001b3L;
		}
		return mix(hash);
	}

	// SplitMix64's finaliser: FNV-1a alone leaves nearby keys close on the ring.
	private static long mix(long z) {
		z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
		z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
		return z ^ (z >>> 31);
	}

	/** Points sorted by position, each with the index of its server in the pool. */
	private static final class Ring {

		private final int[] order;

		private final long[] points;

		private final int[] servers;

		private Ring(int[] order, long[] points, int[] servers) {
			this.order = order;
			this.points = points;
			this.servers = servers;
		}

		static Ring of(List<PoolServer> servers, int[] order) {
			boolean[] inRotation = new boolean[servers.size()];
			int highest = 0;
			for (int index : order) {
				inRotation[index] = true;
				highest = Math.max(highest, servers.get(index).state().effectiveWeight());
			}
			int count = 0;
			int[] pointsOf = new int[servers.size()];
			for (int i = 0; i < servers.size(); i++) {
				if (inRotation[i]) {
					pointsOf[i] = Math.max(1,
							Math.round((float) POINTS * servers.get(i).state().effectiveWeight() / highest));
					count += pointsOf[i];
				}
			}
			long[] positions = new long[count];
			int[] ownerOf = new int[count];
			int n = 0;
			for (int i = 0; i < servers.size(); i++) {
				// A point's place depends on its server's name only, not on the others,
				// so that a server joining or leaving moves no other's points.
				String name = servers.get(i).getName();
				for (int p = 0; p < pointsOf[i]; p++) {
					positions[n] = hash(name + "#" + p);
					ownerOf[n] = i;
					n++;
				}
			}
			Integer[] byPosition = new Integer[count];
			for (int i = 0; i < count; i++) {
				byPosition[i] = i;
			}
			Arrays.sort(byPosition, (a, b) -> Long.compare(positions[a], positions[b]));
			long[] points = new long[count];
			int[] owners = new int[count];
			for (int i = 0; i < count; i++) {
				points[i] = positions[byPosition[i]];
				owners[i] = ownerOf[byPosition[i]];
			}
			return new Ring(order, points, owners);
		}

		/** The index of the first point at or after {@code key}, wrapping around. */
		int first(long key) {
			int at = Arrays.binarySearch(this.points, key);
			if (at < 0) {
				at = -at - 1;
			}
			return (at == this.points.length) ? 0 : at;
		}

	}

}
