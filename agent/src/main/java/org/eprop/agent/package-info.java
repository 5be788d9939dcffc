/**
 * Agents and what every agent's run uses: the {@link org.eprop.agent.Agent} interface, the
 * {@link org.eprop.agent.RunSetup} and {@link org.eprop.agent.RunContext} a run is handed, the
 * network and learning settings shared by agents ({@code org.eprop.agent.spec}), the run directory,
 * metrics, checkpoints and progress ({@code org.eprop.agent.run}) and the plots
 * ({@code org.eprop.agent.plot}).
 */
package org.eprop.agent;
