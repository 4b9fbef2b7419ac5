package org.slf4j.impl;

import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * The SLF4J 1.x binding the AWS SDK's bundle looks for. The bundle (which hadoop-aws uses) shades SLF4J 1.7 and bridges
 * it to the application's SLF4J through {@code org.slf4j.impl.StaticLoggerBinder}, a class SLF4J 2 providers such as
 * log4j-slf4j2-impl no longer have: without it the SDK printed "Failed to load class
 * org.slf4j.impl.StaticLoggerBinder ... NOP logger" on stderr and dropped its logging. This one hands the bridge
 * SLF4J 2's own logger factory, so the SDK logs where everything else does. SLF4J 2 reads its providers, not this
 * class. Written here because no library on Maven Central bridges that way.
 */
public final class StaticLoggerBinder {

    private static final StaticLoggerBinder SINGLETON = new StaticLoggerBinder();

    private StaticLoggerBinder() {}

    public static StaticLoggerBinder getSingleton() {
        return SINGLETON;
    }

    public ILoggerFactory getLoggerFactory() {
        return LoggerFactory.getILoggerFactory();
    }

    public String getLoggerFactoryClassStr() {
        return getLoggerFactory().getClass().getName();
    }
}
