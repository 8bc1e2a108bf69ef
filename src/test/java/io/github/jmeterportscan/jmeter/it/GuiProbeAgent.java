package io.github.jmeterportscan.jmeter.it;

import java.awt.AWTException;
import java.awt.Component;
import java.awt.Container;
import java.awt.EventQueue;
import java.awt.Frame;
import java.awt.Point;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.Toolkit;
import java.awt.Window;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import javax.swing.AbstractButton;
import javax.swing.JComboBox;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.JScrollBar;
import javax.swing.JScrollPane;
import javax.swing.JSplitPane;
import javax.swing.JTabbedPane;
import javax.swing.JToolTip;
import javax.swing.JTree;
import javax.swing.SwingUtilities;
import javax.swing.border.Border;
import javax.swing.border.CompoundBorder;
import javax.swing.border.TitledBorder;
import javax.swing.text.JTextComponent;
import javax.swing.tree.TreeModel;
import javax.swing.tree.TreePath;

/**
 * A Java agent that {@link JMeterGuiIT} loads into the JMeter GUI ({@code -javaagent}). It waits until the main
 * window shows the plan given with {@code -t}, records the test tree, then selects the requested elements one after
 * another and records what each one's panel shows (labels, group titles, tooltips, field values) plus a screenshot
 * of the display. It writes everything to {@code probe.txt} in the output directory, one tab-separated fact per
 * line, and ends with {@code done}.
 *
 * <p>Only JDK classes here: the agent is loaded by the system class loader and JMeter's classes by JMeter's own, so
 * the few JMeter objects read (tree nodes, their test elements) are read through reflection.
 *
 * <p>System properties: {@code portscan.guiprobe.out} (directory), {@code portscan.guiprobe.select} (element
 * names separated by '|'), {@code portscan.guiprobe.timeoutMillis} (default 120000), {@code portscan.guiprobe.hover}
 * (a panel label to rest the mouse on after each selection, to show and record its tooltip).
 */
public final class GuiProbeAgent {
    private GuiProbeAgent() {
    }

    public static void premain(String arguments) {
        Thread probe = new Thread(GuiProbeAgent::probe, "gui-probe");
        probe.setDaemon(true);
        probe.start();
    }

    private static void probe() {
        Path out = Path.of(System.getProperty("portscan.guiprobe.out", "."));
        List<String> facts = new ArrayList<>();
        try {
            long deadline = System.currentTimeMillis() + Long.getLong("portscan.guiprobe.timeoutMillis", 120_000);
            JTree tree = awaitLoadedPlan(deadline);
            // no window manager on the virtual display: give JMeter's window the whole screen by hand
            onEdt(() -> {
                Frame frame = (Frame) SwingUtilities.getAncestorOfClass(Frame.class, tree);
                if (frame != null) {
                    frame.setBounds(new Rectangle(Toolkit.getDefaultToolkit().getScreenSize()));
                    frame.validate();
                    // Swing shows tooltips only in the focused application; nobody clicks it here
                    frame.toFront();
                    frame.requestFocus();
                }
                return null;
            });
            String hover = System.getProperty("portscan.guiprobe.hover", "");
            facts.addAll(onEdt(() -> describeTree(tree)));
            String selection = System.getProperty("portscan.guiprobe.select", "");
            int index = 0;
            for (String name : selection.isEmpty() ? List.<String>of() : List.of(selection.split("\\|"))) {
                index++;
                facts.addAll(select(tree, name, deadline));
                String base = String.format("%02d-%s", index, slug(name));
                Path screenshot = out.resolve(base + ".png");
                screenshot(screenshot);
                facts.add(String.join("\t", "screenshot", name, screenshot.toString()));
                if (!hover.isEmpty()) {
                    facts.addAll(hover(tree, name, hover, out.resolve(base + "-tooltip.png")));
                }
                if (onEdt(() -> scrollPanelToEnd(tree))) {
                    Thread.sleep(500);
                    Path end = out.resolve(base + "-end.png");
                    screenshot(end);
                    facts.add(String.join("\t", "screenshot-end", name, end.toString()));
                }
            }
        } catch (Throwable failure) {
            StringWriter trace = new StringWriter();
            failure.printStackTrace(new PrintWriter(trace));
            facts.add("error\t" + trace.toString().replace('\n', ' ').replace('\t', ' '));
        }
        facts.add("done");
        try {
            Files.createDirectories(out);
            Path partial = out.resolve("probe.txt.part");
            Files.write(partial, facts, StandardCharsets.UTF_8);
            Files.move(partial, out.resolve("probe.txt"), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the GUI probe's report to " + out, e);
        }
    }

    /** The test tree, once it holds the plan loaded with -t (a plan node with children) and stopped growing. */
    private static JTree awaitLoadedPlan(long deadline) throws Exception {
        awaitJMeterEventThread(deadline);
        int lastRows = -1;
        while (System.currentTimeMillis() < deadline) {
            Integer rows = onEdt(() -> {
                JTree tree = findTestTree();
                if (tree == null || !planLoaded(tree.getModel())) {
                    return null;
                }
                for (int row = 0; row < tree.getRowCount(); row++) {
                    tree.expandRow(row);
                }
                return tree.getRowCount();
            });
            if (rows != null && rows == lastRows) {
                return onEdt(GuiProbeAgent::findTestTree);
            }
            lastRows = rows == null ? -1 : rows;
            Thread.sleep(500);
        }
        throw new IllegalStateException("JMeter's main window did not show a loaded plan in time");
    }

    /**
     * Waits, without touching AWT, until JMeter has started the event dispatch thread. Started by the agent instead,
     * that thread would carry the system class loader as its context loader, and JMeter, which looks its look and
     * feel themes up through that loader, would fail to start ("item is null" in LookAndFeelCommand).
     */
    private static void awaitJMeterEventThread(long deadline) throws InterruptedException {
        while (System.currentTimeMillis() < deadline) {
            if (Thread.getAllStackTraces().keySet().stream()
                    .anyMatch(thread -> thread.getName().startsWith("AWT-EventQueue"))) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("JMeter did not start its GUI in time");
    }

    /** JMeter's test tree is the JTree whose model is JMeter's JMeterTreeModel. */
    private static JTree findTestTree() {
        for (Window window : Window.getWindows()) {
            if (window.isShowing()) {
                JTree tree = findTree(window);
                if (tree != null) {
                    return tree;
                }
            }
        }
        return null;
    }

    private static JTree findTree(Component component) {
        if (component instanceof JTree tree && tree.getModel().getClass().getName().endsWith(".JMeterTreeModel")) {
            return tree;
        }
        if (component instanceof Container container) {
            for (Component child : container.getComponents()) {
                JTree tree = findTree(child);
                if (tree != null) {
                    return tree;
                }
            }
        }
        return null;
    }

    private static boolean planLoaded(TreeModel model) {
        Object root = model.getRoot();
        return model.getChildCount(root) > 0 && model.getChildCount(model.getChild(root, 0)) > 0;
    }

    private static List<String> describeTree(JTree tree) {
        List<String> facts = new ArrayList<>();
        TreeModel model = tree.getModel();
        describe(model, model.getRoot(), 0, facts);
        return facts;
    }

    private static void describe(TreeModel model, Object node, int depth, List<String> facts) {
        for (int i = 0; i < model.getChildCount(node); i++) {
            Object child = model.getChild(node, i);
            facts.add(String.join("\t", "tree", Integer.toString(depth), nodeName(child), elementClass(child)));
            describe(model, child, depth + 1, facts);
        }
    }

    /** Selects the element called {@code name} and records its panel once JMeter has put it on screen. */
    private static List<String> select(JTree tree, String name, long deadline) throws Exception {
        TreePath path = onEdt(() -> {
            TreePath found = find(tree.getModel(), new TreePath(tree.getModel().getRoot()), name);
            if (found != null) {
                tree.setSelectionPath(found);
                tree.scrollPathToVisible(found);
            }
            return found;
        });
        if (path == null) {
            throw new IllegalStateException("no element named '" + name + "' in the test tree");
        }
        while (System.currentTimeMillis() < deadline) {
            // JMeter's name field shows the selected element's name once its panel is in place
            List<String> texts = onEdt(() -> panelTexts(tree));
            if (texts.contains("field\t" + name)) {
                Thread.sleep(500); // let layout and painting finish before the screenshot
                List<String> facts = new ArrayList<>();
                facts.add(String.join("\t", "selected", name, elementClass(path.getLastPathComponent())));
                for (String text : onEdt(() -> panelTexts(tree))) {
                    facts.add("text\t" + name + "\t" + text);
                }
                return facts;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the panel of '" + name + "' did not show in time");
    }

    /**
     * Rests the mouse on the panel label whose text is {@code labelText} (where JMeter shows a TestBean property's
     * description as a tooltip), takes a screenshot once the tooltip is up and records the tooltip's text.
     */
    private static List<String> hover(JTree tree, String name, String labelText, Path file) throws Exception {
        Point target = onEdt(() -> {
            JSplitPane split = (JSplitPane) SwingUtilities.getAncestorOfClass(JSplitPane.class, tree);
            JLabel label = split == null ? null : findLabel(split.getRightComponent(), labelText);
            if (label == null) {
                return null;
            }
            label.scrollRectToVisible(new Rectangle(0, 0, label.getWidth(), label.getHeight()));
            Window window = SwingUtilities.getWindowAncestor(label);
            if (window != null && !window.isFocused()) {
                window.toFront();
                window.requestFocus();
            }
            Point p = label.getLocationOnScreen();
            return new Point(p.x + label.getWidth() / 2, p.y + label.getHeight() / 2);
        });
        if (target == null) {
            return List.of();
        }
        Robot robot = new Robot();
        for (int i = 0; i < 40; i++) {
            if (i % 8 == 0) {
                // enter the label afresh now and then: Swing starts its tooltip timer on mouse entry and motion
                robot.mouseMove(0, 0);
                Thread.sleep(100);
                robot.mouseMove(target.x + 1, target.y + 1);
                robot.mouseMove(target.x, target.y);
            }
            Thread.sleep(250);
            String tip = onEdt(GuiProbeAgent::visibleToolTip);
            if (tip != null) {
                Thread.sleep(300);
                screenshot(file);
                robot.mouseMove(0, 0);
                return List.of(String.join("\t", "tooltip", name, labelText, clean(tip)),
                        String.join("\t", "screenshot-tooltip", name, file.toString()));
            }
        }
        robot.mouseMove(0, 0);
        return List.of();
    }

    private static JLabel findLabel(Component component, String text) {
        if (component instanceof JLabel label && text.equals(label.getText()) && label.isShowing()) {
            return label;
        }
        if (component instanceof Container container) {
            for (Component child : container.getComponents()) {
                JLabel found = findLabel(child, text);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static String visibleToolTip() {
        for (Window window : Window.getWindows()) {
            String tip = findToolTip(window);
            if (tip != null) {
                return tip;
            }
        }
        return null;
    }

    private static String findToolTip(Component component) {
        if (component instanceof JToolTip tip && tip.isShowing()) {
            return tip.getTipText();
        }
        if (component instanceof Container container) {
            for (Component child : container.getComponents()) {
                String found = findToolTip(child);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** Scrolls the element panel to its end, if it is taller than its view; true when it scrolled. */
    private static boolean scrollPanelToEnd(JTree tree) {
        JSplitPane split = (JSplitPane) SwingUtilities.getAncestorOfClass(JSplitPane.class, tree);
        JScrollPane scroll = split == null ? null : findScrollPane(split.getRightComponent());
        if (scroll == null) {
            return false;
        }
        JScrollBar bar = scroll.getVerticalScrollBar();
        if (bar.getMaximum() - bar.getVisibleAmount() <= bar.getMinimum()) {
            return false;
        }
        bar.setValue(bar.getMaximum());
        return true;
    }

    private static JScrollPane findScrollPane(Component component) {
        if (component instanceof JScrollPane scroll && scroll.isShowing()
                && scroll.getVerticalScrollBar().getMaximum() > scroll.getVerticalScrollBar().getVisibleAmount()) {
            return scroll;
        }
        if (component instanceof Container container) {
            for (Component child : container.getComponents()) {
                JScrollPane found = findScrollPane(child);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static TreePath find(TreeModel model, TreePath path, String name) {
        Object node = path.getLastPathComponent();
        for (int i = 0; i < model.getChildCount(node); i++) {
            Object child = model.getChild(node, i);
            TreePath childPath = path.pathByAddingChild(child);
            if (name.equals(nodeName(child))) {
                return childPath;
            }
            TreePath found = find(model, childPath, name);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** What the element panel (the right side of the split pane that holds the tree) shows, as kind TAB text. */
    private static List<String> panelTexts(JTree tree) {
        JSplitPane split = (JSplitPane) SwingUtilities.getAncestorOfClass(JSplitPane.class, tree);
        List<String> texts = new ArrayList<>();
        if (split != null) {
            collectTexts(split.getRightComponent(), texts);
        }
        return texts;
    }

    private static void collectTexts(Component component, List<String> texts) {
        if (component == null || !component.isShowing()) {
            return;
        }
        if (component instanceof JComponent swing) {
            String title = borderTitle(swing.getBorder());
            if (title != null && !title.isBlank()) {
                texts.add("group\t" + clean(title));
            }
            // TestBean panels show each property's description as the tooltip of its label
            String tip = swing.getToolTipText();
            if (tip != null && !tip.isBlank()) {
                texts.add("tip\t" + clean(tip));
            }
        }
        if (component instanceof JLabel label && label.getText() != null && !label.getText().isBlank()) {
            texts.add("label\t" + clean(label.getText()));
        } else if (component instanceof AbstractButton button && button.getText() != null
                && !button.getText().isBlank()) {
            texts.add("button\t" + clean(button.getText()));
        } else if (component instanceof JTextComponent field) {
            String text = field.getText() == null ? "" : field.getText();
            texts.add("field\t" + clean(text.lines().findFirst().orElse("")));
        } else if (component instanceof JComboBox<?> combo && combo.getSelectedItem() != null) {
            texts.add("choice\t" + clean(combo.getSelectedItem().toString()));
        } else if (component instanceof JTabbedPane tabs) {
            for (int i = 0; i < tabs.getTabCount(); i++) {
                texts.add("tab\t" + clean(tabs.getTitleAt(i)));
            }
        }
        if (component instanceof Container container) {
            for (Component child : container.getComponents()) {
                collectTexts(child, texts);
            }
        }
    }

    private static String borderTitle(Border border) {
        if (border instanceof TitledBorder titled) {
            return titled.getTitle();
        }
        if (border instanceof CompoundBorder compound) {
            String outside = borderTitle(compound.getOutsideBorder());
            return outside != null ? outside : borderTitle(compound.getInsideBorder());
        }
        return null;
    }

    private static String clean(String text) {
        String plain = text.replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").trim();
        return plain.length() > 200 ? plain.substring(0, 200) : plain;
    }

    private static void screenshot(Path file) throws AWTException, IOException, InterruptedException,
            InvocationTargetException {
        EventQueue.invokeAndWait(() -> Toolkit.getDefaultToolkit().sync());
        Rectangle screen = new Rectangle(Toolkit.getDefaultToolkit().getScreenSize());
        // Robot reads back what the X server shows, so the picture is the display, not Swing's idea of it.
        BufferedImage image = new Robot().createScreenCapture(screen);
        Files.createDirectories(file.getParent());
        ImageIO.write(image, "png", file.toFile());
    }

    private static String nodeName(Object node) {
        Object name = call(node, "getName");
        return name == null ? String.valueOf(node) : name.toString();
    }

    private static String elementClass(Object node) {
        Object element = call(node, "getTestElement");
        return element == null ? "" : element.getClass().getName();
    }

    private static Object call(Object target, String method) {
        try {
            return target.getClass().getMethod(method).invoke(target);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    private static String slug(String name) {
        return name.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }

    private static <T> T onEdt(Callable<T> task) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        EventQueue.invokeAndWait(() -> {
            try {
                result.set(task.call());
            } catch (Exception e) {
                failure.set(e);
            }
        });
        if (failure.get() != null) {
            throw failure.get();
        }
        return result.get();
    }
}
