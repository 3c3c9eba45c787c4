// vigil from Java: read JSONL messages {"id": ..., "text": ...} on stdin, print one verdict JSON
// line per message on stdout — the same bytes as `vigil scan --jsonl -`.
//
//   examples/java/run < examples/inputs/messages.jsonl
import dev.vigil.Engine;
import dev.vigil.Id;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

public class Example {
  public static void main(String[] args) throws Exception {
    int status = 0;
    var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8), 1 << 20);
    var out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    List<String> texts = new ArrayList<>();
    List<Id> ids = new ArrayList<>();
    try (Engine engine = Engine.defaultEngine()) {
      String line;
      int lineno = 0;
      while ((line = in.readLine()) != null) {
        ++lineno;
        if (line.isBlank()) continue;
        try {
          Message m = new Parser(line).message();
          texts.add(m.text);
          ids.add(m.id);
        } catch (IllegalArgumentException e) {
          System.err.printf("example: <stdin>:%d: %s%n", lineno, e.getMessage());
          status = 2;
          continue;
        }
        if (texts.size() == 1000) { // scan 1000 messages in one call
          out.print(engine.scanBatchJsonl(texts, ids, 0));
          texts.clear();
          ids.clear();
        }
      }
      if (!texts.isEmpty()) out.print(engine.scanBatchJsonl(texts, ids, 0));
    }
    out.flush();
    System.exit(status);
  }

  record Message(Id id, String text) {}

  /** Just enough JSON for {"id": string|number, "text": string, ...}. */
  static final class Parser {
    private final String s;
    private int i;

    Parser(String s) {
      this.s = s;
    }

    Message message() {
      Id id = Id.NULL;
      String text = null;
      ws();
      expect('{');
      ws();
      if (peek() != '}') {
        while (true) {
          ws();
          String key = string();
          ws();
          expect(':');
          ws();
          if (key.equals("text")) {
            text = string();
          } else if (key.equals("id")) {
            if (peek() == '"') id = Id.string(string());
            else id = Id.number(number());
          } else {
            skip();
          }
          ws();
          if (peek() == ',') {
            i++;
            continue;
          }
          break;
        }
      }
      expect('}');
      if (text == null) throw new IllegalArgumentException("no \"text\" string");
      return new Message(id, text);
    }

    private char peek() {
      if (i >= s.length()) throw new IllegalArgumentException("truncated JSON");
      return s.charAt(i);
    }

    private void expect(char c) {
      if (peek() != c) throw new IllegalArgumentException("expected '" + c + "' at " + i);
      i++;
    }

    private void ws() {
      while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) i++;
    }

    private String string() {
      expect('"');
      StringBuilder b = new StringBuilder();
      while (true) {
        char c = peek();
        i++;
        if (c == '"') return b.toString();
        if (c != '\\') {
          b.append(c);
          continue;
        }
        char e = peek();
        i++;
        switch (e) {
          case '"', '\\', '/' -> b.append(e);
          case 'b' -> b.append('\b');
          case 'f' -> b.append('\f');
          case 'n' -> b.append('\n');
          case 'r' -> b.append('\r');
          case 't' -> b.append('\t');
          case 'u' -> {
            if (i + 4 > s.length()) throw new IllegalArgumentException("bad \\u escape");
            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            i += 4;
          }
          default -> throw new IllegalArgumentException("bad escape");
        }
      }
    }

    private String number() {
      int start = i;
      while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
      if (start == i) throw new IllegalArgumentException("\"id\" must be a string or a number");
      return s.substring(start, i);
    }

    private void skip() {
      char c = peek();
      if (c == '"') {
        string();
      } else if (c == '{' || c == '[') {
        int depth = 0;
        do {
          c = peek();
          if (c == '"') {
            string();
            continue;
          }
          if (c == '{' || c == '[') depth++;
          if (c == '}' || c == ']') depth--;
          i++;
        } while (depth > 0);
      } else {
        while (i < s.length() && ",}".indexOf(s.charAt(i)) < 0) i++;
      }
    }
  }
}
