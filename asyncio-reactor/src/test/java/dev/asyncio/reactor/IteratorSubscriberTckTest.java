package dev.asyncio.reactor;

import dev.asyncio.EventLoop;
import dev.asyncio.Future;
import dev.asyncio.flow.PublisherIterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import org.reactivestreams.tck.SubscriberWhiteboxVerification;
import org.reactivestreams.tck.TestEnvironment;
import reactor.core.CoreSubscriber;

/**
 * The Reactive Streams TCK 1.0.4 {@link SubscriberWhiteboxVerification} for the subscriber behind
 * {@link ReactorCoroutines#iterate} (and, sharing its signal delivery, {@code await}): a
 * {@link PublisherIterator} with prefetch 1, seen by the publisher as the Reactor subscriber
 * {@code iterate} subscribes. It is owned by a coroutine on the default loop that consumes one element
 * per element the TCK's puppet asks for (each consumption requests one more); the puppet's cancel
 * cancels that task, which cancels the subscription wherever the task waits.
 */
public class IteratorSubscriberTckTest extends SubscriberWhiteboxVerification<Integer> {

    public IteratorSubscriberTckTest() {
        super(new TestEnvironment(500, 100));
    }

    @Override
    public Integer createElement(int element) {
        return element;
    }

    @Override
    public Subscriber<Integer> createSubscriber(WhiteboxSubscriberProbe<Integer> probe) {
        Consumer consumer = new Consumer();
        EventLoop loop = ReactorCoroutines.defaultLoop();
        loop.callSoonThreadsafe(() -> consumer.task = loop.createTask(consumer::run));
        CoreSubscriber<Integer> inner;
        try {
            inner = ReactorCoroutines.asCoreSubscriber(consumer.iterator.get(5, TimeUnit.SECONDS));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return new Subscriber<>() {
            @Override
            public void onSubscribe(Subscription s) {
                inner.onSubscribe(s);
                probe.registerOnSubscribe(new SubscriberPuppet() {
                    @Override
                    public void triggerRequest(long elements) {
                        loop.callSoonThreadsafe(() -> consumer.consume(elements));
                    }

                    @Override
                    public void signalCancel() {
                        loop.callSoonThreadsafe(consumer::cancel);
                    }
                });
            }

            @Override
            public void onNext(Integer item) {
                inner.onNext(item);
                probe.registerOnNext(item);
            }

            @Override
            public void onError(Throwable t) {
                inner.onError(t);
                probe.registerOnError(t);
            }

            @Override
            public void onComplete() {
                inner.onComplete();
                probe.registerOnComplete();
            }
        };
    }

    /** The coroutine that owns the iterator; its fields live on the loop's turn. */
    static final class Consumer {
        final CompletableFuture<PublisherIterator<Integer>> iterator = new CompletableFuture<>();
        private long wanted;
        private Future<Void> wake;
        dev.asyncio.Task<Void> task;

        Void run() {
            PublisherIterator<Integer> it = new PublisherIterator<>(1);
            iterator.complete(it);
            while (true) {
                while (wanted == 0) {
                    wake = ReactorCoroutines.defaultLoop().createFuture();
                    wake.await();
                }
                wanted--;
                if (!it.hasNext()) {
                    return null;
                }
                it.next();
            }
        }

        void consume(long n) {
            wanted += n;
            poke();
        }

        void cancel() {
            task.cancel();
        }

        private void poke() {
            if (wake != null && !wake.isDone()) {
                wake.setResult(null);
            }
        }
    }
}
