package io.tagbridge.rest;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

/** uPlot, from the WebJar copied into this bundle, at /dashboard/uplot/ for the dashboard's page. */
@Component(service = DashboardLibrary.class, configurationPolicy = ConfigurationPolicy.IGNORE, property = {
        "osgi.http.whiteboard.resource.pattern=/dashboard/uplot/*",
        "osgi.http.whiteboard.resource.prefix=/META-INF/resources/webjars/uplot/1.6.30/dist" })
public class DashboardLibrary {
}
