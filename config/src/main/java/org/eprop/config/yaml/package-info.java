/**
 * Generic YAML config loading: YAML files bound to immutable records, with every mistake reported before any
 * work starts as {@code file:line:column: message} naming the key and what was expected.
 *
 * <p>Entry point: {@link org.eprop.config.yaml.ConfigLoader}. Records opt into range and consistency checks by
 * implementing {@link org.eprop.envs.params.Validated}; all errors are
 * {@link org.eprop.config.yaml.ConfigException}s.
 */
package org.eprop.config.yaml;
