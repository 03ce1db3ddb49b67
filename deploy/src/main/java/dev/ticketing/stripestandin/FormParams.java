package dev.ticketing.stripestandin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stripe's form-encoded parameters as the servlet container parses them: nested keys such as
 * {@code metadata[orderId]} and list items such as {@code expand[]} or {@code expand[0]} (the
 * form stripe-java sends) are literal parameter names.
 */
record FormParams(Map<String, String[]> values) {

    private static final Pattern NESTED = Pattern.compile("([a-z_]+)\\[([^\\]]*)]");

    String get(String name) {
        String[] found = values.get(name);
        return found == null || found.length == 0 ? null : found[0];
    }

    /** {@code metadata[orderId]=42} → {@code {orderId=42}}, in the order sent. */
    Map<String, String> nested(String name) {
        Map<String, String> nested = new LinkedHashMap<>();
        values.forEach((key, value) -> {
            Matcher m = NESTED.matcher(key);
            if (m.matches() && m.group(1).equals(name) && !m.group(2).isEmpty()) {
                nested.put(m.group(2), value[0]);
            }
        });
        return nested;
    }

    /** {@code expand[]=a&expand[]=b} or {@code expand[0]=a&expand[1]=b} → {@code [a, b]}. */
    List<String> list(String name) {
        List<String> items = new ArrayList<>();
        values.forEach((key, value) -> {
            Matcher m = NESTED.matcher(key);
            if (m.matches() && m.group(1).equals(name) && m.group(2).chars().allMatch(Character::isDigit)) {
                items.addAll(Arrays.asList(value));
            }
        });
        return items;
    }

    /** The parameters in a canonical form: two requests with equal fingerprints asked for the same thing. */
    String fingerprint() {
        StringBuilder canonical = new StringBuilder();
        new TreeMap<>(values).forEach((key, value) -> canonical.append(key).append('=').append(Arrays.toString(value)).append('&'));
        return canonical.toString();
    }
}
