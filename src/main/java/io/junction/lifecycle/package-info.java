/**
 * Lifecycle behind a load balancer: on SIGTERM, Junction turns its readiness down at once
 * and keeps serving for a drain delay, closing keep-alive connections, so that the ELB
 * moves clients elsewhere before the gateway stops taking requests.
 */
@NullMarked
package io.junction.lifecycle;

import org.jspecify.annotations.NullMarked;
