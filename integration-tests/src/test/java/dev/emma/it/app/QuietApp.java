package dev.emma.it.app;

/** Does nothing off-heap and never touches JMX: what the agent alone costs. */
public final class QuietApp {

    private QuietApp() {
    }

    public static void main(String[] args) {
        System.out.println("quiet");
    }
}
