package dev.asyncio.test;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * The JUnit 5 extension behind {@link AsyncioTest}, registered by the annotation; use the annotation,
 * which carries the settings, rather than this class.
 *
 * <p>For each invocation of a test method (or of a test template: parameterized and repeated tests) it
 * builds a {@link TestLoop} from the nearest {@link AsyncioTest} (method, then class, then enclosing
 * classes), takes over the invocation and calls the method reflectively as a coroutine on that loop,
 * on a thread of its own, while JUnit's thread waits with the real-time timeout; then closes the loop,
 * which fails the test on leaked tasks and lost exceptions. The loop lives in the invocation's
 * {@link ExtensionContext.Store}, which also hands it to {@link TestLoop} parameters and closes it if
 * the method never ran. Stateless, and so safe with parallel execution.
 */
public final class AsyncioTestExtension implements InvocationInterceptor, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(AsyncioTestExtension.class);
    private static final String LOOP_KEY = "testLoop";

    /** Created by JUnit. */
    public AsyncioTestExtension() {
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext extensionContext) {
        runAsCoroutine(invocation, invocationContext, extensionContext);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext extensionContext) {
        runAsCoroutine(invocation, invocationContext, extensionContext);
    }

    private void runAsCoroutine(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext extensionContext) {
        TestLoop testLoop = testLoop(extensionContext);
        Method method = invocationContext.getExecutable();
        Object target = invocationContext.getTarget().orElse(null);
        Object[] arguments = invocationContext.getArguments().toArray();
        // We run the method ourselves, as a coroutine; JUnit must not run it again.
        invocation.skip();
        testLoop.shuffleSeed().ifPresent(seed ->
                extensionContext.publishReportEntry("asyncio.shuffleSeed", Long.toString(seed)));
        testLoop.runTest(method.getName(), () -> ReflectionSupport.invokeMethod(method, target, arguments));
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == TestLoop.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        if (extensionContext.getTestMethod().isEmpty()) {
            throw new ParameterResolutionException("a TestLoop can be injected only into test methods and their "
                    + "@BeforeEach/@AfterEach methods, not into " + parameterContext.getDeclaringExecutable());
        }
        return testLoop(extensionContext);
    }

    /** The invocation's loop, made on first use from the nearest {@link AsyncioTest}. */
    private static TestLoop testLoop(ExtensionContext context) {
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(LOOP_KEY, key -> build(settings(context)), TestLoop.class);
    }

    private static TestLoop build(AsyncioTest settings) {
        TestLoop.Builder b = TestLoop.builder()
                .timeMode(settings.timeMode())
                .timeout(Duration.of(settings.timeout(), settings.timeoutUnit().toChronoUnit()))
                .failOnLeakedTasks(settings.failOnLeakedTasks())
                .oneClock(settings.oneClock());
        if (settings.shuffleReadyOrder()) {
            if (settings.shuffleSeed() == AsyncioTest.RANDOM_SEED) {
                b.shuffleReadyOrder();
            } else {
                b.shuffleReadyOrder(settings.shuffleSeed());
            }
        }
        return b.build();
    }

    /** The nearest {@link AsyncioTest}: on the method, its class (or a superclass), or an enclosing class. */
    private static AsyncioTest settings(ExtensionContext context) {
        Optional<AsyncioTest> found = context.getTestMethod().flatMap(m -> find(m));
        for (Class<?> c = context.getRequiredTestClass(); found.isEmpty() && c != null; c = c.getEnclosingClass()) {
            found = find(c);
        }
        return found.orElseThrow(() -> new IllegalStateException(
                "AsyncioTestExtension is meant to be registered with @AsyncioTest, which carries its settings; "
                        + "none found on " + context.getRequiredTestMethod()));
    }

    private static Optional<AsyncioTest> find(AnnotatedElement element) {
        return AnnotationSupport.findAnnotation(element, AsyncioTest.class);
    }
}
