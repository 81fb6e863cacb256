package app.parley.files;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * A small JPEG of an uploaded image for the thread, so a 15 MB photo costs the dashboard and the chat box a few
 * KB until someone opens it. Dimensions are read from the header first: an image claiming more pixels than a
 * camera makes (a decompression bomb) gets no thumbnail, and is still kept as a file.
 */
final class Thumbnails {
    static final int EDGE = 320;
    private static final long MAX_PIXELS = 50_000_000L;

    record Result(int width, int height, byte[] thumbnail) {}

    private Thumbnails() {}

    /** Null when the JDK cannot read the image (WebP) or it is too large to decode safely. */
    static Result of(byte[] content) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(content))) {
            if (in == null) return null;
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) return null;
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                if (w <= 0 || h <= 0 || (long) w * h > MAX_PIXELS) return new Result(w, h, null);
                BufferedImage image = reader.read(0);
                return new Result(w, h, shrink(image));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            // A damaged image is still a file the visitor sent: kept, shown as a download without a preview.
            return null;
        }
    }

    private static byte[] shrink(BufferedImage image) throws IOException {
        double scale = Math.min(1.0, (double) EDGE / Math.max(image.getWidth(), image.getHeight()));
        int w = Math.max(1, (int) Math.round(image.getWidth() * scale));
        int h = Math.max(1, (int) Math.round(image.getHeight() * scale));
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            // JPEG has no transparency: a transparent PNG is drawn on white, as a chat thread shows it.
            g.setColor(java.awt.Color.WHITE);
            g.fillRect(0, 0, w, h);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(image, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(out, "jpeg", bytes);
        return bytes.toByteArray();
    }
}
