/**
 * The supervised trainer that pairs a spiking network with a supervised environment, and the TIMIT pipeline.
 *
 * <p>This module is laid down with the project and filled by later issues.
 */
package org.eprop.supervised;
