package io.profilingkit.otherapp;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Packs one of this package's apps ({@link PlainHttpApp}, {@link ParkingHttpApp}) into an executable
 * jar of its own (only this package's classes, {@code Main-Class} in the manifest): the "jar the user
 * gives" of the integration tests.
 */
public final class AppJar {

    private AppJar() {
    }

    /**
     * @param testClasses the compiled test classes ({@code target/test-classes})
     * @param jar         where to write the jar
     * @param main        the app to start
     */
    public static Path build(Path testClasses, Path jar, Class<?> main) throws IOException {
        String dir = PlainHttpApp.class.getPackageName().replace('.', '/');
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, main.getName());
        Files.createDirectories(jar.getParent());
        List<Path> classes;
        try (Stream<Path> files = Files.list(testClasses.resolve(dir))) {
            classes = files.filter(p -> p.toString().endsWith(".class")).sorted().toList();
        }
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            for (Path c : classes) {
                out.putNextEntry(new JarEntry(dir + "/" + c.getFileName()));
                out.write(Files.readAllBytes(c));
                out.closeEntry();
            }
        }
        return jar;
    }
}
