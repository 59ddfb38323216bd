package io.profilingkit.workshop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * Sends an HTTP/1.1 request byte for byte, as a hostile client would: no URI validation, no
 * normalisation of {@code ..}, any method, any header. Reads until the server closes or the body
 * given by Content-Length has arrived.
 */
public final class RawHttp {

    private RawHttp() {
    }

    /** The status code and body of the response to {@code method target} with optional extra header lines and body. */
    public static Response send(int port, String method, String target, String extraHeaders, byte[] body)
            throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            String head = method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                    + extraHeaders + (body.length > 0 ? "Content-Length: " + body.length + "\r\n" : "") + "\r\n";
            try {
                out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
            } catch (IOException e) {
                // the server may answer and close before reading all of a big body: read what it said
            }
            return read(socket.getInputStream());
        }
    }

    private static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        try {
            for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
                buffer.write(chunk, 0, n);
                Response parsed = parse(buffer.toString(StandardCharsets.UTF_8));
                if (parsed != null && parsed.complete()) {
                    return parsed;
                }
            }
        } catch (SocketTimeoutException e) {
            throw new IOException("no complete response within 15 s: " + buffer, e);
        }
        Response parsed = parse(buffer.toString(StandardCharsets.UTF_8));
        if (parsed == null) {
            throw new IOException("no HTTP response, got: " + buffer);
        }
        return parsed;
    }

    private static Response parse(String raw) {
        int headerEnd = raw.indexOf("\r\n\r\n");
        if (!raw.matches("(?s)^HTTP/1\\.[01] .*") || headerEnd < 0) {
            return null;
        }
        int status = Integer.parseInt(raw.substring(9, 12));
        String headers = raw.substring(0, headerEnd).toLowerCase();
        String body = raw.substring(headerEnd + 4);
        int lengthAt = headers.indexOf("content-length: ");
        int expected = lengthAt < 0 ? -1
                : Integer.parseInt(headers.substring(lengthAt + 16).split("\r\n")[0].trim());
        return new Response(status, headers, body, expected < 0 || body.getBytes(StandardCharsets.UTF_8).length >= expected);
    }

    /** Status, lower-cased header block, body, and whether the whole body arrived. */
    public record Response(int status, String headers, String body, boolean complete) {
    }
}
