package io.junction.health;

import io.junction.pools.ServerState;

/**
 * HAProxy's {@code rise} and {@code fall} for one server: a server goes DOWN after
 * {@code fall} failed checks in a row and UP after {@code rise} passed ones. A server
 * that left MAINT was unchecked, not failing: one passed check brings it back. Touched by
 * one check at a time.
 */
final class RiseFall {

	private final int rise;

	private final int fall;

	private int passedInARow;

	private int failedInARow;

	RiseFall(int rise, int fall) {
		this.rise = rise;
		this.fall = fall;
	}

	/** Records a passed check; returns whether it brought the server UP. */
	boolean passed(ServerState state) {
		return passed(state, () -> {
		});
	}

	/**
	 * Records a passed check; returns whether it brought the server UP, after running
	 * {@code beforeUp} while it was still DOWN.
	 */
	boolean passed(ServerState state, Runnable beforeUp) {
		this.failedInARow = 0;
		this.passedInARow++;
		boolean pending = state.isCheckPending();
		if (state.isUp() || !(pending || this.passedInARow >= this.rise)) {
			return false;
		}
		beforeUp.run();
		return state.markUp();
	}

	/** Records a failed check; returns whether it took the server DOWN. */
	boolean failed(ServerState state, String reason) {
		this.passedInARow = 0;
		this.failedInARow++;
		state.recordCheckFailure(reason);
		return state.isUp() && this.failedInARow >= this.fall && state.markDown(reason);
	}

	/**
	 * Forgets the checks so far: the server was in MAINT, and its next check starts anew.
	 */
	void reset() {
		this.passedInARow = 0;
		this.failedInARow = 0;
	}

	int passedInARow() {
		return this.passedInARow;
	}

	int failedInARow() {
		return this.failedInARow;
	}

}
