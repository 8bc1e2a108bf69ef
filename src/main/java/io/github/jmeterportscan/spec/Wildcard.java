package io.github.jmeterportscan.spec;

/**
 * nmap's service-mask matching: '*' matches any run of characters, '?' exactly one, and letters
 * compare case-insensitively.
 */
final class Wildcard {
    private Wildcard() {
    }

    static boolean matches(String mask, String text) {
        // Iterative glob match with single backtrack point: linear in practice, no recursion.
        int m = 0;
        int t = 0;
        int starAt = -1;
        int resumeAt = 0;
        while (t < text.length()) {
            if (m < mask.length() && (mask.charAt(m) == '?' || same(mask.charAt(m), text.charAt(t)))) {
                m++;
                t++;
            } else if (m < mask.length() && mask.charAt(m) == '*') {
                starAt = m++;
                resumeAt = t;
            } else if (starAt >= 0) {
                m = starAt + 1;
                t = ++resumeAt;
            } else {
                return false;
            }
        }
        while (m < mask.length() && mask.charAt(m) == '*') {
            m++;
        }
        return m == mask.length();
    }

    private static boolean same(char a, char b) {
        return Character.toLowerCase(a) == Character.toLowerCase(b);
    }
}
