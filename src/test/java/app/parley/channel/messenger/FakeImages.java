package app.parley.channel.messenger;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Pictures the fake CDN serves: drawn, so no binary fixture is needed. */
final class FakeImages {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private FakeImages() {}

    static byte[] initials(String text, Color background) {
        BufferedImage img = new BufferedImage(96, 96, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = start(img);
        g.setColor(background);
        g.fillRect(0, 0, 96, 96);
        g.setColor(Color.WHITE);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 38));
        int w = g.getFontMetrics().stringWidth(text);
        g.drawString(text, (96 - w) / 2, 61);
        return png(img, g);
    }

    static byte[] teapot() {
        BufferedImage img = new BufferedImage(320, 220, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = start(img);
        g.setPaint(new GradientPaint(0, 0, new Color(0xfff4e6), 0, 220, new Color(0xffd8a8)));
        g.fillRect(0, 0, 320, 220);
        g.setColor(new Color(0xe9ecef));
        g.fillRect(0, 170, 320, 50);
        Color blue = new Color(0x1c7ed6);
        g.setColor(blue);
        g.fillOval(95, 70, 130, 105);
        g.fillRoundRect(140, 55, 40, 20, 10, 10);
        g.fillOval(152, 42, 16, 16);
        g.setStroke(new BasicStroke(12, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.drawArc(205, 90, 55, 55, -90, 180);
        g.drawLine(105, 125, 60, 90);
        g.setColor(new Color(0x74c0fc));
        g.fillOval(120, 90, 30, 22);
        return png(img, g);
    }

    private static Graphics2D start(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        return g;
    }

    private static byte[] png(BufferedImage img, Graphics2D g) {
        g.dispose();
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
