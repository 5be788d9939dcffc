/**
 * YAML run configs, Guice wiring and the {@code eprop} command line.
 */
package org.eprop.config;
