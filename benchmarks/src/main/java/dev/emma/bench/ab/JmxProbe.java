package dev.emma.bench.ab;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import dev.emma.bench.memory.EmmaAgent;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.management.Attribute;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Reads the service's MBeans from outside: the Attach API starts the JDK's local management agent
 * in the service ({@code startLocalManagementAgent}, loopback only) and a JMX connection reads
 * {@code dev.emma:type=Allocator} and {@code java.nio:type=BufferPool,name=direct}.
 *
 * <p>Why JMX and not JFR streaming: the same connection works in every arm, {@code none} included
 * (the direct buffer pool is the one Java-level figure all arms share), it reads whatever
 * attributes the agent has by name (attributes added to the agent later show up with no change
 * here), it needs no flag in the service's command line and no recording in the service (a JFR
 * recording keeps buffers and a thread of its own, tens of MiB in RSS). The management agent it
 * starts costs a few MiB and two threads, the same in every arm.
 *
 * <p>Attributes are read generically: every numeric attribute becomes a number keyed
 * {@code emma.<Name>} or {@code direct.<Name>}.
 */
final class JmxProbe implements AutoCloseable {

    static final String EMMA_PREFIX = "emma.";
    static final String DIRECT_PREFIX = "direct.";

    private static final ObjectName EMMA = name(EmmaAgent.MBEAN);
    private static final ObjectName DIRECT = name("java.nio:type=BufferPool,name=direct");

    private final JMXConnector connector;
    private final MBeanServerConnection server;
    private String[] emmaAttributes; // read once the MBean is registered; the agent registers it when active
    private String[] directAttributes;

    private JmxProbe(JMXConnector connector) throws IOException {
        this.connector = connector;
        this.server = connector.getMBeanServerConnection();
    }

    /** Attaches to {@code pid}; retried for a while, since a JVM answers the Attach API only once it is up. */
    static JmxProbe attach(long pid, long timeoutMillis) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (true) {
            try {
                VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
                try {
                    String address = vm.startLocalManagementAgent();
                    return new JmxProbe(JMXConnectorFactory.connect(new JMXServiceURL(address)));
                } finally {
                    vm.detach();
                }
            } catch (AttachNotSupportedException | IOException e) {
                if (System.nanoTime() > deadline || ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)) {
                    throw new IOException("cannot attach to pid " + pid + ": " + e.getMessage(), e);
                }
                Thread.sleep(200);
            }
        }
    }

    /** The agent's {@code Mode}, or empty while its MBean is not registered (the agent is not active). */
    Optional<String> agentMode() {
        try {
            return server.isRegistered(EMMA) ? Optional.of(String.valueOf(server.getAttribute(EMMA, "Mode"))) : Optional.empty();
        } catch (IOException | JMException e) {
            return Optional.empty();
        }
    }

    /** Every numeric attribute of both MBeans now; what cannot be read is left out. */
    Map<String, Double> read() {
        Map<String, Double> values = new LinkedHashMap<>();
        try {
            if (directAttributes == null) {
                directAttributes = attributeNames(DIRECT);
            }
            readInto(DIRECT, directAttributes, DIRECT_PREFIX, values);
            if (emmaAttributes == null && server.isRegistered(EMMA)) {
                emmaAttributes = attributeNames(EMMA);
            }
            if (emmaAttributes != null) {
                readInto(EMMA, emmaAttributes, EMMA_PREFIX, values);
            }
        } catch (IOException | JMException e) {
            // the service is going away: this sample has what was read
        }
        return values;
    }

    private String[] attributeNames(ObjectName name) throws IOException, JMException {
        return Arrays.stream(server.getMBeanInfo(name).getAttributes())
                .filter(MBeanAttributeInfo::isReadable).map(MBeanAttributeInfo::getName).toArray(String[]::new);
    }

    private void readInto(ObjectName name, String[] attributes, String prefix, Map<String, Double> values)
            throws IOException, JMException {
        for (Attribute attribute : server.getAttributes(name, attributes).asList()) {
            if (attribute.getValue() instanceof Number number) {
                values.put(prefix + attribute.getName(), number.doubleValue());
            }
        }
    }

    @Override
    public void close() {
        try {
            connector.close();
        } catch (IOException e) {
            // the service has gone; nothing to release on our side
        }
    }

    private static ObjectName name(String text) {
        try {
            return new ObjectName(text);
        } catch (JMException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
