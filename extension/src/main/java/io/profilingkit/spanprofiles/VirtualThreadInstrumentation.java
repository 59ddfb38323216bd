package io.profilingkit.spanprofiles;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesNoArguments;

import io.opentelemetry.context.ContextStorage;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import java.util.function.IntConsumer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Keeps the profiler's thread context true on virtual threads. The profiler keeps it per OS thread;
 * a virtual thread that parks leaves its carrier and goes on later on another one, whose context is
 * whatever the last virtual thread there left. {@code java.lang.VirtualThread} mounts a virtual thread
 * on its carrier in {@code mount()} and takes it off in {@code unmount()} (private, no arguments, the
 * same from JDK 21 to 25; every continue of a virtual thread goes through both, from
 * {@code runContinuation}): after {@code mount()} the context is set from the virtual thread's current
 * OpenTelemetry context, before {@code unmount()} it is cleared. On a JDK without virtual threads the
 * class does not exist and nothing is changed.
 *
 * <p>The advice is inlined into {@code java.lang.VirtualThread}, so it may name only what the boot
 * class loader sees: the agent's {@link ContextStorage} and the JDK's {@link IntConsumer}, which
 * {@link ProfilingContextStorage} implements (its two event constants are compile-time constants,
 * copied into the advice, not looked up). On a mount it runs the storage's code only, which takes
 * the label the context already holds: no allocation, no string work, no lock but the span's name
 * read. Any exception is dropped, so that the hook can never break a virtual thread.
 */
final class VirtualThreadInstrumentation implements TypeInstrumentation {

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("java.lang.VirtualThread");
    }

    @Override
    public void transform(TypeTransformer transformer) {
        String advice = VirtualThreadInstrumentation.class.getName();
        transformer.applyAdviceToMethod(named("mount").and(takesNoArguments()), advice + "$MountAdvice");
        transformer.applyAdviceToMethod(named("unmount").and(takesNoArguments()), advice + "$UnmountAdvice");
    }

    /** After mount: the current thread is the virtual thread, its context the one to label with. */
    @SuppressWarnings("unused")
    public static final class MountAdvice {

        private MountAdvice() {
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void afterMount() {
            Object storage = ContextStorage.get();
            if (storage instanceof IntConsumer) {
                ((IntConsumer) storage).accept(ProfilingContextStorage.MOUNTED);
            }
        }
    }

    /** Before unmount: the carrier's context goes back to none. */
    @SuppressWarnings("unused")
    public static final class UnmountAdvice {

        private UnmountAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void beforeUnmount() {
            Object storage = ContextStorage.get();
            if (storage instanceof IntConsumer) {
                ((IntConsumer) storage).accept(ProfilingContextStorage.UNMOUNTING);
            }
        }
    }
}
