package dev.asyncio.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The application {@link BootJarLaunchTest} packs into a Spring Boot executable jar and starts with
 * {@code java -jar}: a WebFlux application on an ephemeral port that prints the carrier mode of its pool's
 * loops ({@code carrier=LOOP_CARRIER} or {@code carrier=PORTABLE}) and exits.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class BootJarMain {
    /**
     * @param args ignored
     */
    public static void main(String[] args) {
        try (ConfigurableApplicationContext app = new SpringApplication(BootJarMain.class).run("--server.port=0",
                "--server.address=127.0.0.1", "--spring.main.banner-mode=off", "--logging.level.root=WARN",
                "--logging.level.dev.asyncio=INFO")) {
            System.out.println("carrier=" + app.getBean(AsyncioLoops.class).loops().get(0).getCarrierMode());
        }
    }
}
