package io.github.miniomigrator.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/** What JMX shows of this JVM: Camel's MBeans, the sync status, the Kafka client's. */
public final class Jmx {
    private Jmx() {
    }

    /** No attribute of any registered MBean holds any of the secrets. */
    public static void assertNoAttributeShows(Collection<String> secrets) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        for (ObjectName name : server.queryNames(null, null)) {
            MBeanAttributeInfo[] attributes;
            try {
                attributes = server.getMBeanInfo(name).getAttributes();
            } catch (Exception e) {
                continue; // unregistered meanwhile
            }
            for (MBeanAttributeInfo attribute : attributes) {
                Object value;
                try {
                    value = server.getAttribute(name, attribute.getName());
                } catch (Exception | Error e) {
                    continue;
                }
                String text = String.valueOf(value);
                for (String secret : secrets) {
                    assertTrue(!text.contains(secret), name + " " + attribute.getName() + " shows a secret");
                }
            }
        }
    }
}
