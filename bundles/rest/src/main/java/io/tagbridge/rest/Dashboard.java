package io.tagbridge.rest;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The dashboard at /dashboard/: its page, script and style from this bundle, and uPlot beside them
 * ({@link DashboardLibrary}); nothing comes from the internet, which a plant floor does not have.
 */
@Component(service = Servlet.class, configurationPolicy = ConfigurationPolicy.IGNORE, property = {
        "osgi.http.whiteboard.servlet.pattern=/dashboard",
        "osgi.http.whiteboard.servlet.pattern=/dashboard/*" })
public class Dashboard extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html;charset=utf-8",
            "dashboard.js", "text/javascript;charset=utf-8",
            "dashboard.css", "text/css;charset=utf-8");

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        if (path == null) {
            response.sendRedirect("/dashboard/");
            return;
        }
        String name = path.equals("/") ? "index.html" : path.substring(1);
        String type = FILES.get(name);
        if (type == null) {
            response.sendError(404, "the dashboard has no " + name);
            return;
        }
        try (InputStream file = Dashboard.class.getResourceAsStream("/dashboard/" + name)) {
            response.setContentType(type);
            response.setHeader("Cache-Control", "no-cache");
            file.transferTo(response.getOutputStream());
        }
    }
}
