package dev.ticketing.contract;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The endpoints docs/API.md gives, read as it writes them: a top-level list item ({@code - }, with
 * its indented lines) names its endpoints in code spans {@code `METHOD /path`} (a query is left
 * out), its status codes in code spans that start with one ({@code `201`}, {@code `200 {...}`}),
 * and error codes in code spans that the Errors table lists ({@code `TIER_SOLD_OUT`}), each with
 * the table's status. What an item says applies to every endpoint it names.
 */
final class ApiMd {

    record Endpoint(String method, String path, int line, Set<String> statuses, Map<String, String> codes) {
        String key() {
            return ApiMd.key(method, path);
        }
    }

    private static final Pattern SPAN = Pattern.compile("`([^`]+)`");
    private static final Pattern ENDPOINT =
            Pattern.compile("(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) (/[^\\s?]*)(\\?\\S*)?");
    private static final Pattern STATUS = Pattern.compile("([1-5]\\d\\d)(\\s.*)?", Pattern.DOTALL);
    private static final Pattern CODE = Pattern.compile("[A-Z][A-Z_]*[A-Z]");

    private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();

    private ApiMd() {
    }

    /** Path variables are compared by place, not name: {@code {id}} and {@code {chargeId}} are the same. */
    static String key(String method, String path) {
        return method.toUpperCase(Locale.ROOT) + " " + path.replaceAll("\\{[^}]*}", "{}");
    }

    static ApiMd read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        ApiMd doc = new ApiMd();
        Map<String, String> errorCodes = errorCodes(lines);
        if (errorCodes.isEmpty()) {
            doc.problems.add("docs/API.md: no Errors table (| `CODE` | status | when |) found");
        }
        List<String> text = withoutFencedBlocks(lines);
        int i = 0;
        while (i < text.size()) {
            if (!text.get(i).startsWith("- ")) {
                Matcher stray = SPAN.matcher(text.get(i));
                while (stray.find()) {
                    if (ENDPOINT.matcher(stray.group(1)).matches()) {
                        doc.problems.add("docs/API.md line " + (i + 1) + ": `" + stray.group(1) + "` outside a list "
                                + "item; endpoints are read from items that start with \"- \"");
                    }
                }
                i++;
                continue;
            }
            int start = i++;
            while (i < text.size() && (text.get(i).isBlank() || Character.isWhitespace(text.get(i).charAt(0)))) {
                i++;
            }
            doc.item(String.join("\n", text.subList(start, i)), start + 1, errorCodes);
        }
        return doc;
    }

    Map<String, Endpoint> endpoints() {
        return endpoints;
    }

    List<String> problems() {
        return problems;
    }

    private void item(String item, int firstLine, Map<String, String> errorCodes) {
        List<String[]> named = new ArrayList<>();   // method, path, line
        Set<String> statuses = new TreeSet<>();
        Map<String, String> codes = new TreeMap<>();
        Matcher span = SPAN.matcher(item);
        while (span.find()) {
            String content = span.group(1).trim();
            Matcher endpoint = ENDPOINT.matcher(content);
            Matcher status = STATUS.matcher(content);
            if (endpoint.matches()) {
                int line = firstLine + (int) item.substring(0, span.start()).chars().filter(c -> c == '\n').count();
                named.add(new String[] {endpoint.group(1), endpoint.group(2), String.valueOf(line)});
            } else if (status.matches()) {
                statuses.add(status.group(1));
            } else if (CODE.matcher(content).matches() && errorCodes.containsKey(content)) {
                codes.put(content, errorCodes.get(content));
            }
        }
        for (String[] endpoint : named) {
            Endpoint documented = new Endpoint(endpoint[0], endpoint[1], Integer.parseInt(endpoint[2]),
                    new TreeSet<>(statuses), new TreeMap<>(codes));
            endpoints.merge(documented.key(), documented, (first, again) -> {
                first.statuses().addAll(again.statuses());
                first.codes().putAll(again.codes());
                return first;
            });
        }
    }

    /** The Errors table's rows: {@code | `EVENT_NOT_FOUND` / `TIER_NOT_FOUND` | 404 | when |}. */
    private static Map<String, String> errorCodes(List<String> lines) {
        Map<String, String> codes = new TreeMap<>();
        for (String line : lines) {
            String[] cells = line.split("\\|");
            if (line.startsWith("|") && cells.length > 2 && cells[2].trim().matches("[1-5]\\d\\d")) {
                Matcher span = SPAN.matcher(cells[1]);
                while (span.find()) {
                    if (CODE.matcher(span.group(1)).matches()) {
                        codes.put(span.group(1), cells[2].trim());
                    }
                }
            }
        }
        return codes;
    }

    /** Examples in fenced blocks are not read; their lines stay, blank, so line numbers hold. */
    private static List<String> withoutFencedBlocks(List<String> lines) {
        List<String> text = new ArrayList<>();
        boolean fenced = false;
        for (String line : lines) {
            boolean fence = line.trim().startsWith("```");
            text.add(fenced || fence ? (line.isBlank() ? "" : " ") : line);
            if (fence) {
                fenced = !fenced;
            }
        }
        return text;
    }
}
