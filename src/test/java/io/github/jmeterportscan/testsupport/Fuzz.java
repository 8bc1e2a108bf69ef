package io.github.jmeterportscan.testsupport;

import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.quicktheories.QuickTheory;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * What the property tests share: the runner's settings, the "a result or the typed error" check,
 * and string generators that go from any text at all to text shaped by a grammar and then
 * damaged, so that properties reach both the first checks of a parser and its deepest branches.
 *
 * <p>Each run draws a new seed; a failure reports the smallest input found and the seed, and
 * {@code -DQT_SEED=<seed>} replays it. {@code -DQT_EXAMPLES=N} sets the examples per property
 * (for a longer fuzzing run than the suite's).
 */
public final class Fuzz {
    /** Examples per property in the suite: enough to reach the grammars' corners, quick to run. */
    public static final int EXAMPLES = 1000;

    private Fuzz() {
    }

    /** A runner with {@code examples} tries (unless -DQT_EXAMPLES says otherwise). */
    public static QuickTheory qt(int examples) {
        QuickTheory qt = QuickTheory.qt().withShrinkCycles(20_000);
        return System.getProperty("QT_EXAMPLES") == null ? qt.withExamples(examples) : qt;
    }

    public static QuickTheory qt() {
        return qt(EXAMPLES);
    }

    /** Code that may fail with a checked exception. */
    @FunctionalInterface
    public interface Attempt<T> {
        T run() throws Exception;
    }

    /**
     * Runs {@code attempt}: its result, or empty when it failed with the {@code typed} exception
     * (the answer a user gets for bad input). Any other exception fails the property.
     */
    public static <T> Optional<T> resultOr(Class<? extends Exception> typed, Attempt<T> attempt) {
        try {
            return Optional.of(attempt.run());
        } catch (Exception e) {
            if (typed.isInstance(e)) {
                if (e.getMessage() == null || e.getMessage().isBlank()) {
                    throw new AssertionError("a " + typed.getSimpleName() + " without a message", e);
                }
                return Optional.empty();
            }
            throw new AssertionError("neither a result nor a " + typed.getSimpleName() + ": " + e, e);
        }
    }

    /** Any text: every code point (surrogates and NUL included), printable ASCII, or blanks. */
    public static Gen<String> anyText(int maxLength) {
        return Generate.frequency(List.of(
                Pair.of(3, strings().allPossible().ofLengthBetween(0, maxLength)),
                Pair.of(3, strings().ascii().ofLengthBetween(0, maxLength)),
                Pair.of(1, from(" \t\n\r\u000b\f\u0000", 0, 4))));
    }

    /** Text made of the characters of {@code alphabet}. */
    public static Gen<String> from(String alphabet, int minLength, int maxLength) {
        List<Character> chars = new ArrayList<>();
        for (char c : alphabet.toCharArray()) {
            chars.add(c);
        }
        return lists().of(Generate.pick(chars)).ofSizeBetween(minLength, maxLength).map((List<Character> l) -> join(l));
    }

    /** One to {@code max} parts joined by {@code separator}. */
    public static Gen<String> joined(Gen<String> part, String separator, int max) {
        return lists().of(part).ofSizeBetween(1, max).map(parts -> String.join(separator, parts));
    }

    /** A decimal number in [min, max], as text. */
    public static Gen<String> number(int min, int max) {
        return integers().between(min, max).map((Integer n) -> String.valueOf(n));
    }

    /**
     * The text of {@code base}, intact three times in five, else with one to three edits: a character of
     * {@code alphabet} inserted or put in place of another, a character deleted, or a piece
     * repeated. Edits take a valid input just across the grammar's edges.
     */
    public static Gen<String> damaged(Gen<String> base, String alphabet) {
        Gen<List<Integer>> edits = Generate.frequency(List.of(
                Pair.of(3, Generate.constant(List.of())),
                Pair.of(2, lists().of(integers().between(0, Integer.MAX_VALUE)).ofSizeBetween(3, 9))));
        return base.zip(edits, (text, numbers) -> {
            StringBuilder s = new StringBuilder(text);
            for (int i = 0; i + 2 < numbers.size(); i += 3) {
                int op = numbers.get(i) % 4;
                int at = s.length() == 0 ? 0 : numbers.get(i + 1) % (s.length() + 1);
                char c = alphabet.charAt(numbers.get(i + 2) % alphabet.length());
                switch (op) {
                    case 0 -> s.insert(at, c);
                    case 1 -> {
                        if (at < s.length()) {
                            s.setCharAt(at, c);
                        }
                    }
                    case 2 -> {
                        if (at < s.length()) {
                            s.deleteCharAt(at);
                        }
                    }
                    default -> s.insert(at, s.substring(at, Math.min(s.length(), at + 1 + numbers.get(i + 2) % 4)));
                }
            }
            return s.toString();
        });
    }

    private static String join(List<Character> chars) {
        StringBuilder s = new StringBuilder(chars.size());
        chars.forEach(s::append);
        return s.toString();
    }
}
