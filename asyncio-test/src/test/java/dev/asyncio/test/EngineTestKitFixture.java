package dev.asyncio.test;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Marks a fixture class that is meant to fail: it runs only when a test launches it through
 * {@code EngineTestKit} with the configuration parameter {@value #PARAMETER} set, never when a build
 * or an IDE runs the test classes of the package.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(EngineTestKitFixture.OnlyUnderEngineTestKit.class)
@interface EngineTestKitFixture {
    /** The configuration parameter that enables fixtures. */
    String PARAMETER = "dev.asyncio.test.runFixtures";

    /** The condition behind the annotation. */
    final class OnlyUnderEngineTestKit implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(PARAMETER).isPresent()
                    ? ConditionEvaluationResult.enabled("launched as a fixture")
                    : ConditionEvaluationResult.disabled("a fixture of an EngineTestKit test, run only by that test");
        }
    }
}
