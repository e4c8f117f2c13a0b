package dev.asyncio.reactor;

import static dev.asyncio.reactor.ReactorCoroutines.await;
import static dev.asyncio.reactor.ReactorCoroutines.awaitLast;
import static dev.asyncio.reactor.ReactorCoroutines.flux;
import static dev.asyncio.reactor.ReactorCoroutines.mono;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.asyncio.Asyncio;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class ReactorContextTest {

    @Test
    void coroutineSeesTheSubscribersContext() {
        StepVerifier.create(mono(() -> ReactorContext.current().<String>get("user"))
                        .contextWrite(c -> c.put("user", "ada")))
                .expectNext("ada").verifyComplete();
        StepVerifier.create(flux(sink -> sink.emit(ReactorContext.current().getOrDefault("n", 0)))
                        .contextWrite(c -> c.put("n", 7)))
                .expectNext(7).verifyComplete();
        StepVerifier.create(mono(() -> ReactorContext.current().isEmpty())).expectNext(true).verifyComplete();
    }

    @Test
    void awaitedPublishersReceiveItBack() {
        Mono<String> readsContext = Mono.deferContextual(c -> Mono.just(c.getOrDefault("user", "nobody")));
        StepVerifier.create(mono(() -> await(readsContext)).contextWrite(c -> c.put("user", "grace")))
                .expectNext("grace").verifyComplete();
        // through a task the coroutine creates (ContextVars are inherited by child tasks)
        StepVerifier.create(mono(() -> Asyncio.createTask(() -> await(readsContext)).await())
                        .contextWrite(c -> c.put("user", "linus")))
                .expectNext("linus").verifyComplete();
        // and to any publisher, via the CoreSubscriber's currentContext
        Flux<String> f = Flux.deferContextual(c -> Flux.just(c.getOrDefault("user", "?"), "end"));
        StepVerifier.create(mono(() -> awaitLast(f.concatWith(Flux.deferContextual(c -> Flux.just(c.<String>get("user"))))))
                        .contextWrite(c -> c.put("user", "barbara")))
                .expectNext("barbara").verifyComplete();
    }

    @Test
    void settingTheVariableChangesWhatIsPassedUpstream() {
        Asyncio.run(() -> {
            ReactorContext.variable().set(reactor.util.context.Context.of("k", "v"));
            assertEquals("v", await(Mono.deferContextual(c -> Mono.just(c.get("k")))));
        });
    }
}
