package dev.plexauth;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.HttpUrl;

/**
 * A loopback HTTP/1.1 server that answers with raw bytes, for the faults MockWebServer cannot
 * script: a TCP reset, stalls that last until the test ends (no sleeps, no timers), a body shorter
 * than its {@code Content-Length}, and bodies of tens of megabytes streamed from a small chunk so
 * that the test itself holds almost nothing in memory.
 *
 * <p>Each connection serves one request, read up to the blank line that ends its head, and is then
 * handed to the {@link Handler}; the connection is closed when the handler returns.
 */
final class RawHttpServer implements AutoCloseable {
  /** Answers one request; may write anything, stall, or reset the connection. */
  interface Handler {
    void handle(Exchange exchange) throws IOException, InterruptedException;
  }

  /** One accepted connection whose request head has been read. */
  final class Exchange {
    private final Socket socket;
    private final OutputStream out;

    private Exchange(Socket socket) throws IOException {
      this.socket = socket;
      this.out = socket.getOutputStream();
    }

    /** Writes ASCII text (a status line, headers, a short body) and flushes it. */
    void write(String ascii) throws IOException {
      out.write(ascii.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    }

    /** Writes bytes as they are (a UTF-8 body, or one that is not UTF-8 on purpose) and flushes. */
    void write(byte[] bytes) throws IOException {
      out.write(bytes);
      out.flush();
    }

    /** Writes the chunk over and over until {@code total} bytes are out or the client hangs up. */
    void writeRepeated(byte[] chunk, long total) {
      try {
        long left = total;
        while (left > 0) {
          int n = (int) Math.min(chunk.length, left);
          out.write(chunk, 0, n);
          left -= n;
          bytesWritten.addAndGet(n);
        }
        out.flush();
      } catch (IOException clientWentAway) {
        // Expected: a client that stops reading at its limit closes the connection.
      }
    }

    /** Blocks until the server is closed: the client sees a peer that never sends another byte. */
    void stallUntilClosed() throws InterruptedException {
      closed.await();
    }

    /** Closes with SO_LINGER 0, so the kernel sends a TCP RST instead of an orderly FIN. */
    void reset() throws IOException {
      socket.setSoLinger(true, 0);
      socket.close();
    }
  }

  private final Handler handler;
  private final ServerSocket serverSocket;
  private final CountDownLatch closed = new CountDownLatch(1);
  private final AtomicInteger requestCount = new AtomicInteger();
  private final AtomicLong bytesWritten = new AtomicLong();
  private final List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());
  private final List<Thread> threads = Collections.synchronizedList(new ArrayList<>());

  RawHttpServer(Handler handler) throws IOException {
    this.handler = handler;
    this.serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    start(this::acceptLoop, "accept");
  }

  /** The base URL, on 127.0.0.1. */
  HttpUrl url() {
    return new HttpUrl.Builder()
        .scheme("http")
        .host(serverSocket.getInetAddress().getHostAddress())
        .port(port())
        .build();
  }

  int port() {
    return serverSocket.getLocalPort();
  }

  /** How many request heads were read. */
  int requestCount() {
    return requestCount.get();
  }

  /** How many body bytes {@link Exchange#writeRepeated} got out before the client hung up. */
  long bytesWritten() {
    return bytesWritten.get();
  }

  private void acceptLoop() {
    while (!serverSocket.isClosed()) {
      Socket socket;
      try {
        socket = serverSocket.accept();
      } catch (IOException e) {
        return; // closed
      }
      sockets.add(socket);
      start(() -> serve(socket), "serve");
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      if (readRequestHead(socket.getInputStream()) == null) {
        return;
      }
      requestCount.incrementAndGet();
      handler.handle(new Exchange(socket));
    } catch (IOException | InterruptedException e) {
      // The client went away or the server is closing: nothing to answer.
    }
  }

  /** Reads up to the blank line that ends the head; null at end of stream. */
  private static String readRequestHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < end.length) {
      int b = in.read();
      if (b == -1) {
        return null;
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  private void start(Runnable task, String what) {
    Thread thread = new Thread(task, "RawHttpServer-" + serverSocket.getLocalPort() + "-" + what);
    thread.setDaemon(true);
    threads.add(thread);
    thread.start();
  }

  /** Releases stalled handlers, closes every socket and waits briefly for the threads to end. */
  @Override
  public void close() throws IOException {
    closed.countDown();
    serverSocket.close();
    List<Socket> open;
    synchronized (sockets) {
      open = new ArrayList<>(sockets);
    }
    for (Socket socket : open) {
      socket.close();
    }
    List<Thread> running;
    synchronized (threads) {
      running = new ArrayList<>(threads);
    }
    for (Thread thread : running) {
      try {
        thread.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
