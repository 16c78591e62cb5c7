package dev.emma.agent.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/** The MBean's attribute names are a contract (A/B runners read them); each carries a description and a unit. */
class AllocatorMBeanTest {

    private static final AllocatorReading READING = new AllocatorReading("emma", 0.75, 300, 100, 40, 10, 5000, 7, 8192, 4096, 2048, 9,
            20, 1, 13, 2, 3, 0, 4, 1000, 5, 500, 6, 600, 7, 700, 8, 800);

    @Test
    void theContractsAttributesAreThereWithTheirTypesDescriptionsAndUnits() throws Exception {
        MBeanServer server = MBeanServerFactory.newMBeanServer();
        ObjectName name = new ObjectName(AllocatorMXBean.OBJECT_NAME);
        server.registerMBean(new AllocatorMBean.Described(new AllocatorMBean(() -> READING)), name);
        Map<String, MBeanAttributeInfo> attributes = Arrays.stream(server.getMBeanInfo(name).getAttributes())
                .collect(Collectors.toMap(MBeanAttributeInfo::getName, Function.identity()));
        assertEquals("double", attributes.get("EmmaShare").getType());
        for (String contract : new String[] {"EmmaShare", "EmmaBytes", "NativeBytes", "Fallbacks", "ForeignFrees", "LiveBytes",
                "MappedBytes", "ResidentBytes", "ReturnedBytes", "ReturnFailures"}) {
            MBeanAttributeInfo info = attributes.get(contract);
            assertNotNull(info, contract);
            assertFalse(info.getDescription().isBlank(), contract);
            assertNotNull(info.getDescriptor().getFieldValue("units"), contract + " has no unit");
        }
        assertEquals(Attribute.values().length + 1, attributes.size(), "every attribute is in the table (and Mode)");
        assertEquals(0.75, (double) server.getAttribute(name, "EmmaShare"));
        assertEquals(300L, server.getAttribute(name, "EmmaBytes"));
        assertEquals(100L, server.getAttribute(name, "NativeBytes"));
        assertEquals(800L, server.getAttribute(name, "JdkInternalBytes"));
        assertEquals(2048L, server.getAttribute(name, "ReturnedBytes"));
        assertEquals(9L, server.getAttribute(name, "ReturnFailures"));
        assertTrue(((String) server.getAttribute(name, "Mode")).equals("emma"));
    }

    @Test
    void topSitesAndTheCoverageReportAreOperations() throws Exception {
        MBeanServer server = MBeanServerFactory.newMBeanServer();
        ObjectName name = new ObjectName(AllocatorMXBean.OBJECT_NAME);
        server.registerMBean(new AllocatorMBean.Described(new AllocatorMBean(() -> READING, count -> "top " + count, () -> "coverage")), name);

        Map<String, MBeanOperationInfo> operations = Arrays.stream(server.getMBeanInfo(name).getOperations())
                .collect(Collectors.toMap(MBeanOperationInfo::getName, Function.identity()));
        assertEquals("count", operations.get("topSites").getSignature()[0].getName());
        assertFalse(operations.get("coverageReport").getDescription().isBlank());
        assertEquals("top 7", server.invoke(name, "topSites", new Object[] {7}, new String[] {"int"}));
        assertEquals("coverage", server.invoke(name, "coverageReport", new Object[0], new String[0]));
    }

    @Test
    void oneScrapeOfEveryAttributeTakesOneReadingAndAnswersFromIt() throws Exception {
        AtomicInteger readings = new AtomicInteger();
        MBeanServer server = MBeanServerFactory.newMBeanServer();
        ObjectName name = new ObjectName(AllocatorMXBean.OBJECT_NAME);
        server.registerMBean(new AllocatorMBean.Described(new AllocatorMBean(() -> {
            readings.incrementAndGet();
            return READING;
        })), name);
        String[] all = Arrays.stream(server.getMBeanInfo(name).getAttributes()).map(MBeanAttributeInfo::getName)
                .toArray(String[]::new);
        readings.set(0);
        // what the Prometheus JMX exporter or JConsole does each scrape
        List<javax.management.Attribute> scraped = server.getAttributes(name, all).asList();
        assertEquals(1, readings.get(), "each reading runs Emma.stats() and a mincore walk of every mapping");
        assertEquals(all.length, scraped.size());
        for (javax.management.Attribute a : scraped) {
            readings.set(0);
            assertEquals(server.getAttribute(name, a.getName()), a.getValue(), a.getName()); // the getter's value and type
            assertEquals(1, readings.get(), "a single attribute takes a reading of its own");
        }
    }

    /** The README's attribute table lists every attribute of the table. */
    @Test
    void theReadmeDocumentsEveryAttribute() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        for (Attribute attribute : Attribute.values()) {
            assertTrue(readme.matches("(?s).*\\n\\| [^\\n]*`" + attribute.attributeName + "`[^\\n]*\\|.*"),
                    attribute.attributeName + " is not in agent/README.md's attribute table");
        }
    }
}
