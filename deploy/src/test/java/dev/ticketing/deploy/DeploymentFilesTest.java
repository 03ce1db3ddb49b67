package dev.ticketing.deploy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deployment files hold together: deploy/compose.yaml and the Kubernetes manifests of deploy/k8s
 * route through deploy/cluster/nginx.conf.template to nodes that exist, probe the actuator, take
 * their secrets from a Secret (or the host's environment), and give the two sides the same settings
 * in both. Neither Docker nor a cluster is needed: the files are read as YAML.
 */
class DeploymentFilesTest {

    private static final Path DEPLOY = deployDirectory();
    private static final Path K8S = DEPLOY.resolve("k8s");
    private static final Path CLUSTER_TEMPLATE = DEPLOY.resolve("cluster/nginx.conf.template");

    /** The image of the command and query nodes (and the Stripe stand-in), deploy/Dockerfile's. */
    private static final String APP_IMAGE = "ticketing";
    private static final String SECRET = "ticketing-secrets";
    private static final Set<String> SECRET_ENV = Set.of("SPRING_DATASOURCE_PASSWORD",
            "TICKETING_SECURITY_JWT_HMAC_SECRET", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET");
    private static final Pattern TEMPLATE_VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Pattern SERVER_LINE = Pattern.compile("^\\s*server\\s+([^\\s:;]+):(\\d+)\\b.*;\\s*$");

    private static List<Manifest> manifests;
    private static Map<String, Object> compose;

    @BeforeAll
    static void readFiles() throws IOException {
        manifests = new ArrayList<>();
        for (Path file : yamlFilesIn(K8S)) {
            if (file.getFileName().toString().equals("kustomization.yaml")) {
                continue;   // kustomize's own file, not an object of the cluster
            }
            try (Reader reader = Files.newBufferedReader(file)) {
                for (Object document : new Yaml().loadAll(reader)) {
                    if (document != null) {
                        manifests.add(new Manifest(file.getFileName().toString(), map(document)));
                    }
                }
            }
        }
        try (Reader reader = Files.newBufferedReader(DEPLOY.resolve("compose.yaml"))) {
            compose = map(new Yaml().load(reader));
        }
    }

    // ---- Kubernetes ------------------------------------------------------------------------

    @Test
    void everyKubernetesDocumentHasApiVersionKindAndName() {
        assertThat(manifests).as("documents in deploy/k8s").isNotEmpty();
        for (Manifest manifest : manifests) {
            assertThat(manifest.yaml().get("apiVersion")).as("apiVersion of a document in %s", manifest.file()).isNotNull();
            assertThat(manifest.yaml().get("kind")).as("kind of a document in %s", manifest.file()).isNotNull();
            assertThat(manifest.name()).as("metadata.name of a %s in %s", manifest.kind(), manifest.file()).isNotBlank();
        }
    }

    @Test
    void kustomizationListsEveryManifestInTheDirectory() throws IOException {
        Map<String, Object> kustomization = kustomization();
        Set<String> resources = new TreeSet<>(strings(kustomization.get("resources")));
        Set<String> manifestFiles = new TreeSet<>();
        for (Path file : yamlFilesIn(K8S)) {
            manifestFiles.add(file.getFileName().toString());
        }
        manifestFiles.remove("kustomization.yaml");
        assertThat(resources).as("kustomization.yaml's resources against the YAML files of deploy/k8s")
                .isEqualTo(manifestFiles);

        Set<String> generated = new TreeSet<>();
        for (Object generator : list(kustomization.get("configMapGenerator"))) {
            generated.addAll(strings(map(generator).get("files")));
        }
        for (String file : generated) {
            assertThat(K8S.resolve(file)).as("a configMapGenerator file named in kustomization.yaml").isRegularFile();
        }
        try (Stream<Path> files = Files.list(K8S)) {
            List<String> unused = files.map(f -> f.getFileName().toString())
                    .filter(f -> !f.equals("kustomization.yaml") && !resources.contains(f) && !generated.contains(f))
                    .toList();
            assertThat(unused).as("files in deploy/k8s that kustomization.yaml does not use").isEmpty();
        }
    }

    @Test
    void routerTemplateIsAByteForByteCopyOfTheClusterTemplate() throws IOException {
        Path copy = K8S.resolve("nginx.conf.template");
        long mismatch = Files.mismatch(copy, CLUSTER_TEMPLATE);
        String original = Files.readString(CLUSTER_TEMPLATE);
        String copied = Files.readString(copy);
        int line = (int) original.substring(0, (int) Math.min(Math.max(mismatch, 0), original.length()))
                .chars().filter(c -> c == '\n').count() + 1;
        assertThat(mismatch)
                .as("deploy/k8s/nginx.conf.template differs from deploy/cluster/nginx.conf.template from line %d on "
                        + "(there: '%s', here: '%s'); kustomize reads no file outside deploy/k8s, so it keeps a copy: "
                        + "cp deploy/cluster/nginx.conf.template deploy/k8s/",
                        line, lineAt(original, line), lineAt(copied, line))
                .isEqualTo(-1L);
    }

    @Test
    void everyWorkloadSelectsItsOwnPodTemplate() {
        assertThat(workloads()).as("Deployments and StatefulSets").isNotEmpty();
        for (Manifest workload : workloads()) {
            Map<String, Object> matchLabels = map(at(workload.yaml(), "spec", "selector", "matchLabels"));
            assertThat(matchLabels).as("%s's spec.selector.matchLabels", workload).isNotEmpty();
            assertThat(podLabels(workload)).as("%s's pod template labels", workload).containsAllEntriesOf(matchLabels);
        }
    }

    @Test
    void everyNodeContainerProbesTheActuatorOnItsOwnPort() {
        List<Container> nodes = workloadContainers().stream().filter(Container::isNode).toList();
        assertThat(nodes).as("containers of the image '%s' in Deployments and StatefulSets", APP_IMAGE).isNotEmpty();
        for (Container node : nodes) {
            assertThat(node.probePath("readinessProbe")).as("%s's readinessProbe path", node)
                    .isEqualTo("/actuator/health/readiness");
            assertThat(node.probePath("livenessProbe")).as("%s's livenessProbe path", node)
                    .isEqualTo("/actuator/health/liveness");
            String serverPort = node.envValue("SERVER_PORT");
            assertThat(serverPort).as("%s's SERVER_PORT (the port it listens on)", node).isNotNull();
            for (String probe : List.of("readinessProbe", "livenessProbe")) {
                assertThat(node.probePort(probe)).as("%s's %s port, as a containerPort number", node, probe)
                        .isEqualTo(Integer.valueOf(serverPort));
            }
        }
    }

    @Test
    void everyContainerHasReadinessAndLivenessProbes() {
        for (Container container : workloadContainers()) {
            assertThat(container.yaml().get("readinessProbe")).as("%s's readinessProbe", container).isNotNull();
            assertThat(container.yaml().get("livenessProbe")).as("%s's livenessProbe", container).isNotNull();
        }
    }

    @Test
    void everyContainerRequestsCpuAndMemoryAndHasAMemoryLimit() {
        List<Container> all = new ArrayList<>(workloadContainers());
        all.addAll(initContainers());
        for (Container container : all) {
            Map<String, Object> resources = map(container.yaml().get("resources"));
            assertThat(map(resources.get("requests"))).as("%s's resources.requests", container)
                    .containsKeys("cpu", "memory");
            assertThat(map(resources.get("limits"))).as("%s's resources.limits", container).containsKey("memory");
        }
    }

    @Test
    void everyPodHas45SecondsToStopAndStopsTakingRequestsFirst() {
        for (Manifest workload : workloads()) {
            assertThat(podSpec(workload).get("terminationGracePeriodSeconds"))
                    .as("%s's terminationGracePeriodSeconds (graceful shutdown takes up to 30 s)", workload)
                    .isEqualTo(45);
        }
        for (Container container : workloadContainers()) {
            assertThat(at(container.yaml(), "lifecycle", "preStop"))
                    .as("%s's preStop (a few seconds for the endpoints to drop the pod)", container).isNotNull();
        }
    }

    @Test
    void everyServiceSelectsTheLabelsOfAPodTemplateAndTargetsOneOfItsPorts() {
        for (Manifest service : ofKind("Service")) {
            Map<String, Object> selector = map(at(service.yaml(), "spec", "selector"));
            assertThat(selector).as("%s's selector", service).isNotEmpty();
            List<Manifest> selected = workloads().stream()
                    .filter(w -> podLabels(w).entrySet().containsAll(selector.entrySet())).toList();
            assertThat(selected).as("workloads whose pods %s's selector %s matches", service, selector).isNotEmpty();
            for (Object port : list(at(service.yaml(), "spec", "ports"))) {
                Object target = Objects.requireNonNullElse(map(port).get("targetPort"), map(port).get("port"));
                for (Manifest workload : selected) {
                    Map<String, Object> ports = containerPorts(workload);
                    boolean exists = target instanceof Integer ? ports.containsValue(target) : ports.containsKey(target);
                    assertThat(exists).as("%s's targetPort %s is a port (by name or number) of %s's containers: %s",
                            service, target, workload, ports).isTrue();
                }
            }
        }
    }

    @Test
    void everyIngressBackendNamesAServiceAndOneOfItsPorts() {
        assertThat(ofKind("Ingress")).as("Ingresses").isNotEmpty();
        for (Manifest ingress : ofKind("Ingress")) {
            List<Map<String, Object>> backends = new ArrayList<>();
            if (at(ingress.yaml(), "spec", "defaultBackend") != null) {
                backends.add(map(at(ingress.yaml(), "spec", "defaultBackend")));
            }
            for (Object rule : list(at(ingress.yaml(), "spec", "rules"))) {
                for (Object path : list(at(map(rule), "http", "paths"))) {
                    backends.add(map(map(path).get("backend")));
                }
            }
            assertThat(backends).as("%s's backends", ingress).isNotEmpty();
            for (Map<String, Object> backend : backends) {
                String serviceName = (String) at(backend, "service", "name");
                Map<String, Object> port = map(at(backend, "service", "port"));
                Manifest service = find("Service", serviceName);
                assertThat(service).as("the Service %s, backend of %s", serviceName, ingress).isNotNull();
                List<Map<String, Object>> ports = list(at(service.yaml(), "spec", "ports")).stream()
                        .map(DeploymentFilesTest::map).toList();
                assertThat(ports.stream().anyMatch(p -> port.get("name") != null
                        ? port.get("name").equals(p.get("name")) : Objects.equals(port.get("number"), p.get("port"))))
                        .as("%s's backend port %s is one of %s's ports %s", ingress, port, service, ports)
                        .isTrue();
            }
        }
    }

    @Test
    void disruptionBudgetsKeepACommandAndAQueryNodeUp() {
        for (Manifest budget : ofKind("PodDisruptionBudget")) {
            Map<String, Object> matchLabels = map(at(budget.yaml(), "spec", "selector", "matchLabels"));
            assertThat(matchLabels).as("%s's selector", budget).isNotEmpty();
            assertThat(workloads()).as("workloads whose pods %s selects (%s)", budget, matchLabels)
                    .anyMatch(w -> podLabels(w).entrySet().containsAll(matchLabels.entrySet()));
        }
        for (String role : List.of("command", "query")) {
            Manifest workload = nodeWorkload(role);
            assertThat(ofKind("PodDisruptionBudget"))
                    .as("a PodDisruptionBudget with minAvailable 1 over %s's pods", workload)
                    .anyMatch(b -> Objects.equals(at(b.yaml(), "spec", "minAvailable"), 1)
                            && podLabels(workload).entrySet().containsAll(
                                    map(at(b.yaml(), "spec", "selector", "matchLabels")).entrySet()));
        }
    }

    @Test
    void secretsComeFromTheSecretAndNeverAsLiteralValues() {
        for (Manifest configMap : ofKind("ConfigMap")) {
            assertThat(map(configMap.yaml().get("data")).keySet()).as("keys of %s", configMap)
                    .doesNotContainAnyElementsOf(SECRET_ENV);
        }
        Manifest secret = find("Secret", SECRET);
        assertThat(secret).as("the Secret %s", SECRET).isNotNull();
        Set<String> secretKeys = new TreeSet<>(map(secret.yaml().get("stringData")).keySet());
        secretKeys.addAll(map(secret.yaml().get("data")).keySet());
        assertThat(secretKeys).as("%s's keys", secret).containsAll(SECRET_ENV);

        List<Container> all = new ArrayList<>(workloadContainers());
        all.addAll(initContainers());
        for (Container container : all) {
            for (Map<String, Object> env : container.env()) {
                String name = (String) env.get("name");
                if (SECRET_ENV.contains(name)) {
                    assertThat(env.get("value")).as("%s's %s as a literal value", container, name).isNull();
                    assertThat(at(env, "valueFrom", "secretKeyRef", "name"))
                            .as("%s's %s: a secretKeyRef to %s", container, name, SECRET).isEqualTo(SECRET);
                    assertThat(secretKeys).as("%s's keys, one of which %s's %s refers to", secret, container, name)
                            .contains((String) at(env, "valueFrom", "secretKeyRef", "key"));
                }
            }
        }
        for (Container node : workloadContainers().stream().filter(Container::isNode).toList()) {
            Set<String> fromSecret = new TreeSet<>(node.namesFromSecret());
            fromSecret.retainAll(SECRET_ENV);
            Set<String> secretsItGets = new TreeSet<>(kubernetesEnvNames(node));
            secretsItGets.retainAll(SECRET_ENV);
            assertThat(fromSecret).as("the secrets %s gets, each from the Secret", node).isEqualTo(secretsItGets);
        }
    }

    @Test
    void everyConfigMapKeyAContainerRefersToExists() {
        for (Container container : workloadContainers()) {
            for (Map<String, Object> env : container.env()) {
                Object configMapName = at(env, "valueFrom", "configMapKeyRef", "name");
                if (configMapName != null) {
                    Manifest configMap = find("ConfigMap", (String) configMapName);
                    assertThat(configMap).as("the ConfigMap %s %s refers to", configMapName, container).isNotNull();
                    assertThat(map(configMap.yaml().get("data")))
                            .as("%s, for %s's %s", configMap, container, env.get("name"))
                            .containsKey((String) at(env, "valueFrom", "configMapKeyRef", "key"));
                }
            }
        }
    }

    @Test
    void kubernetesRouterRendersTheClusterTemplateWithEveryVariableSet() throws IOException {
        Container nginx = routerContainer();
        assertThat(nginx.envValue("NGINX_ENVSUBST_OUTPUT_DIR")).as("%s's NGINX_ENVSUBST_OUTPUT_DIR", nginx)
                .isEqualTo("/etc/nginx");
        assertThat(kubernetesEnvNames(nginx)).as("%s's environment against the template's variables", nginx)
                .containsAll(templateVariables());

        String generatedName = (String) map(list(kustomization().get("configMapGenerator")).get(0)).get("name");
        Map<String, Object> mount = nginx.mounts().stream()
                .filter(m -> "/etc/nginx/templates/nginx.conf.template".equals(m.get("mountPath")))
                .findFirst().orElse(null);
        assertThat(mount).as("%s's mount of /etc/nginx/templates/nginx.conf.template", nginx).isNotNull();
        Map<String, Object> volume = volumes(nginx.workload()).get((String) mount.get("name"));
        assertThat(at(volume, "configMap", "name")).as("the template's volume, from the generated ConfigMap")
                .isEqualTo(generatedName);
        assertThat(mount.get("subPath")).as("the key of the template in the generated ConfigMap")
                .isEqualTo("nginx.conf.template");
    }

    @Test
    void kubernetesRouterSendsCommandsToEveryCommandPodByItsStableName() {
        Container nginx = routerContainer();
        Manifest command = nodeWorkload("command");
        assertThat(command.kind()).as("%s: consistent hashing needs a stable name per node", command)
                .isEqualTo("StatefulSet");
        String serviceName = (String) at(command.yaml(), "spec", "serviceName");
        Manifest headless = find("Service", serviceName);
        assertThat(headless).as("%s's serviceName %s", command, serviceName).isNotNull();
        assertThat(at(headless.yaml(), "spec", "clusterIP")).as("%s's clusterIP (headless: a name per pod)", headless)
                .isEqualTo("None");

        int replicas = (Integer) at(command.yaml(), "spec", "replicas");
        int port = Integer.parseInt(nodeContainer("command").envValue("SERVER_PORT"));
        Set<String> expected = IntStream.range(0, replicas)
                .mapToObj(i -> command.name() + "-" + i + "." + serviceName + ":" + port)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(servers(nginx.envValue("COMMAND_SERVERS")))
                .as("the router's COMMAND_SERVERS against %s's %d pods", command, replicas)
                .isEqualTo(expected);

        Manifest query = find("Service", nodeWorkload("query").name());
        assertThat(query).as("a Service named as the query side's %s", nodeWorkload("query")).isNotNull();
        Set<String> queryPorts = list(at(query.yaml(), "spec", "ports")).stream()
                .map(p -> query.name() + ":" + map(p).get("port")).collect(Collectors.toSet());
        assertThat(servers(nginx.envValue("QUERY_SERVERS"))).as("the router's QUERY_SERVERS: %s's ports", query)
                .isNotEmpty().allMatch(queryPorts::contains);
    }

    // ---- compose -----------------------------------------------------------------------------

    @Test
    void composeIngressRoutesToTheNodesItRuns() {
        Map<String, Object> nginx = composeService("nginx");
        for (String role : List.of("command", "query")) {
            String variable = role.toUpperCase() + "_SERVERS";
            Set<String> expected = composeNodes(role).entrySet().stream()
                    .map(node -> node.getKey() + ":" + composeEnv(node.getValue()).get("SERVER_PORT"))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(expected).as("compose services with ROLE=%s", role).isNotEmpty();
            assertThat(servers(composeEnv(nginx).get(variable)))
                    .as("nginx's %s against the %s nodes compose runs (service:SERVER_PORT)", variable, role)
                    .isEqualTo(expected);
        }
    }

    @Test
    void composeNodesHaveReadinessHealthchecksAndWaitForTheDatabase() {
        assertThat(composeService("postgres").get("healthcheck")).as("postgres' healthcheck").isNotNull();
        Map<String, Map<String, Object>> nodes = new LinkedHashMap<>(composeNodes("command"));
        nodes.putAll(composeNodes("query"));
        for (var node : nodes.entrySet()) {
            String test = String.valueOf(at(node.getValue(), "healthcheck", "test"));
            assertThat(test).as("compose service %s's healthcheck", node.getKey()).contains("/actuator/health/readiness");
            assertThat(at(node.getValue(), "depends_on", "postgres", "condition"))
                    .as("compose service %s's depends_on postgres", node.getKey()).isEqualTo("service_healthy");
            assertThat(node.getValue().get("stop_grace_period"))
                    .as("compose service %s's stop_grace_period", node.getKey()).isEqualTo("45s");
        }
    }

    @Test
    void composeIngressRendersTheClusterTemplateWithEveryVariableSet() throws IOException {
        Map<String, Object> nginx = composeService("nginx");
        Map<String, String> mounts = new LinkedHashMap<>();   // target -> source
        for (Object volume : list(nginx.get("volumes"))) {
            String[] parts = String.valueOf(volume).split(":");
            mounts.put(parts[1], parts[0]);
        }
        String template = mounts.get("/etc/nginx/templates/nginx.conf.template");
        assertThat(template).as("nginx's mount of /etc/nginx/templates/nginx.conf.template").isNotNull();
        assertThat(DEPLOY.resolve(template).normalize()).as("what compose mounts as nginx's template")
                .isEqualTo(CLUSTER_TEMPLATE.normalize());

        Map<String, String> env = composeEnv(nginx);
        assertThat(env.get("NGINX_ENVSUBST_OUTPUT_DIR")).as("nginx's NGINX_ENVSUBST_OUTPUT_DIR").isEqualTo("/etc/nginx");
        assertThat(env.keySet()).as("nginx's environment against the template's variables")
                .containsAll(templateVariables());
        String pages = mounts.get(env.get("STATIC_DIR"));
        assertThat(pages).as("nginx's mount of STATIC_DIR (%s)", env.get("STATIC_DIR")).isNotNull();
        assertThat(DEPLOY.resolve(pages).resolve("index.html")).as("the web pages compose mounts").isRegularFile();
    }

    @Test
    void composeTakesSecretsFromTheHostEnvironment() {
        for (var service : map(compose.get("services")).entrySet()) {
            for (var env : composeEnv(map(service.getValue())).entrySet()) {
                if (SECRET_ENV.contains(env.getKey())) {
                    assertThat(env.getValue()).as("compose service %s's %s: a ${...} from the host's environment",
                            service.getKey(), env.getKey()).startsWith("${" + env.getKey());
                }
            }
        }
    }

    // ---- both ----------------------------------------------------------------------------------

    @Test
    void commandAndQueryNodesGetTheSameEnvironmentVariablesInComposeAndKubernetes() {
        for (String role : List.of("command", "query")) {
            Set<String> kubernetes = kubernetesEnvNames(nodeContainer(role));
            for (var node : composeNodes(role).entrySet()) {
                assertThat(new TreeSet<>(composeEnv(node.getValue()).keySet()))
                        .as("environment variables of compose's %s against Kubernetes' %s node", node.getKey(), role)
                        .isEqualTo(new TreeSet<>(kubernetes));
            }
        }
    }

    // ---- reading the files -------------------------------------------------------------------

    record Manifest(String file, Map<String, Object> yaml) {
        String kind() {
            return (String) yaml.get("kind");
        }

        String name() {
            return (String) at(yaml, "metadata", "name");
        }

        @Override
        public String toString() {
            return kind() + " " + name() + " (" + file + ")";
        }
    }

    record Container(Manifest workload, Map<String, Object> yaml) {
        boolean isNode() {
            return imageName().equals(APP_IMAGE);
        }

        String imageName() {
            return String.valueOf(yaml.get("image")).split(":")[0];
        }

        List<Map<String, Object>> env() {
            return list(yaml.get("env")).stream().map(DeploymentFilesTest::map).toList();
        }

        List<Map<String, Object>> mounts() {
            return list(yaml.get("volumeMounts")).stream().map(DeploymentFilesTest::map).toList();
        }

        String envValue(String name) {
            return env().stream().filter(e -> name.equals(e.get("name")))
                    .map(e -> (String) e.get("value")).findFirst().orElse(null);
        }

        Set<String> namesFromSecret() {
            Set<String> names = new TreeSet<>();
            for (Map<String, Object> env : env()) {
                if (SECRET.equals(at(env, "valueFrom", "secretKeyRef", "name"))) {
                    names.add((String) env.get("name"));
                }
            }
            for (Object from : list(yaml.get("envFrom"))) {
                if (SECRET.equals(at(map(from), "secretRef", "name"))) {
                    names.addAll(secretKeys(SECRET));
                }
            }
            return names;
        }

        String probePath(String probe) {
            return (String) at(yaml, probe, "httpGet", "path");
        }

        /** The probe's port as a number: a containerPort's name resolved. */
        Integer probePort(String probe) {
            Object port = at(yaml, probe, "httpGet", "port");
            if (port instanceof Integer number) {
                return number;
            }
            return list(yaml.get("ports")).stream().map(DeploymentFilesTest::map)
                    .filter(p -> Objects.equals(p.get("name"), port))
                    .map(p -> (Integer) p.get("containerPort")).findFirst().orElse(null);
        }

        @Override
        public String toString() {
            return "container " + yaml.get("name") + " of " + workload;
        }
    }

    private static Set<String> templateVariables() throws IOException {
        Set<String> variables = new TreeSet<>();
        for (String line : Files.readAllLines(CLUSTER_TEMPLATE)) {
            int comment = line.indexOf('#');
            Matcher matcher = TEMPLATE_VARIABLE.matcher(comment < 0 ? line : line.substring(0, comment));
            while (matcher.find()) {
                variables.add(matcher.group(1));
            }
        }
        assertThat(variables).as("${VARIABLES} of %s", CLUSTER_TEMPLATE).isNotEmpty();
        return variables;
    }

    private static String lineAt(String text, int line) {
        List<String> lines = text.lines().toList();
        return line <= lines.size() ? lines.get(line - 1).strip() : "<end of file>";
    }

    /** "host:port" of every {@code server host:port ...;} line of a COMMAND_SERVERS/QUERY_SERVERS value. */
    private static Set<String> servers(String lines) {
        assertThat(lines).as("a list of upstream servers").isNotBlank();
        Set<String> servers = new TreeSet<>();
        for (String line : lines.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            Matcher matcher = SERVER_LINE.matcher(line);
            assertThat(matcher.matches()).as("'%s' as 'server host:port ...;'", line).isTrue();
            servers.add(matcher.group(1) + ":" + matcher.group(2));
        }
        return servers;
    }

    private static Map<String, Object> kustomization() throws IOException {
        try (Reader reader = Files.newBufferedReader(K8S.resolve("kustomization.yaml"))) {
            return map(new Yaml().load(reader));
        }
    }

    private static List<Manifest> ofKind(String kind) {
        return manifests.stream().filter(m -> kind.equals(m.kind())).toList();
    }

    private static Manifest find(String kind, String name) {
        return ofKind(kind).stream().filter(m -> m.name().equals(name)).findFirst().orElse(null);
    }

    private static List<Manifest> workloads() {
        return manifests.stream().filter(m -> Set.of("Deployment", "StatefulSet").contains(m.kind())).toList();
    }

    private static Map<String, Object> podSpec(Manifest workload) {
        return map(at(workload.yaml(), "spec", "template", "spec"));
    }

    private static Map<String, Object> podLabels(Manifest workload) {
        return map(at(workload.yaml(), "spec", "template", "metadata", "labels"));
    }

    private static Map<String, Map<String, Object>> volumes(Manifest workload) {
        Map<String, Map<String, Object>> volumes = new LinkedHashMap<>();
        for (Object volume : list(podSpec(workload).get("volumes"))) {
            volumes.put((String) map(volume).get("name"), map(volume));
        }
        return volumes;
    }

    /** Port names and numbers of a workload's containers (name -> number; unnamed ones by their number). */
    private static Map<String, Object> containerPorts(Manifest workload) {
        Map<String, Object> ports = new LinkedHashMap<>();
        for (Container container : containersOf(workload, "containers")) {
            for (Object port : list(container.yaml().get("ports"))) {
                Object number = map(port).get("containerPort");
                ports.put(String.valueOf(Objects.requireNonNullElse(map(port).get("name"), number)), number);
            }
        }
        return ports;
    }

    private static List<Container> containersOf(Manifest workload, String field) {
        return list(podSpec(workload).get(field)).stream().map(c -> new Container(workload, map(c))).toList();
    }

    private static List<Container> workloadContainers() {
        return workloads().stream().flatMap(w -> containersOf(w, "containers").stream()).toList();
    }

    private static List<Container> initContainers() {
        return workloads().stream().flatMap(w -> containersOf(w, "initContainers").stream()).toList();
    }

    /** The node container with ROLE={@code role}: exactly one workload runs each side. */
    private static Container nodeContainer(String role) {
        List<Container> found = workloadContainers().stream()
                .filter(c -> c.isNode() && role.equals(c.envValue("ROLE"))).toList();
        assertThat(found).as("Kubernetes containers of the image %s with ROLE=%s", APP_IMAGE, role).hasSize(1);
        return found.get(0);
    }

    private static Manifest nodeWorkload(String role) {
        return nodeContainer(role).workload();
    }

    private static Container routerContainer() {
        List<Container> found = workloadContainers().stream().filter(c -> c.imageName().equals("nginx")).toList();
        assertThat(found).as("Kubernetes containers of the image nginx (the router)").hasSize(1);
        return found.get(0);
    }

    private static Set<String> secretKeys(String name) {
        Manifest secret = find("Secret", name);
        Set<String> keys = new TreeSet<>();
        if (secret != null) {
            keys.addAll(map(secret.yaml().get("stringData")).keySet());
            keys.addAll(map(secret.yaml().get("data")).keySet());
        }
        return keys;
    }

    /** The names a container's environment has: env entries, and the keys of what envFrom names. */
    private static Set<String> kubernetesEnvNames(Container container) {
        Set<String> names = new TreeSet<>();
        container.env().forEach(e -> names.add((String) e.get("name")));
        for (Object from : list(container.yaml().get("envFrom"))) {
            Object configMap = at(map(from), "configMapRef", "name");
            if (configMap != null) {
                Manifest found = find("ConfigMap", (String) configMap);
                assertThat(found).as("the ConfigMap %s in %s's envFrom", configMap, container).isNotNull();
                names.addAll(map(found.yaml().get("data")).keySet());
            }
            Object secret = at(map(from), "secretRef", "name");
            if (secret != null) {
                names.addAll(secretKeys((String) secret));
            }
        }
        return names;
    }

    private static Map<String, Object> composeService(String name) {
        Map<String, Object> service = map(map(compose.get("services")).get(name));
        assertThat(service).as("compose service %s", name).isNotEmpty();
        return service;
    }

    /** Compose services running the given side (environment ROLE), by name. */
    private static Map<String, Map<String, Object>> composeNodes(String role) {
        Map<String, Map<String, Object>> nodes = new LinkedHashMap<>();
        for (var service : map(compose.get("services")).entrySet()) {
            if (role.equals(composeEnv(map(service.getValue())).get("ROLE"))) {
                nodes.put(service.getKey(), map(service.getValue()));
            }
        }
        return nodes;
    }

    /** A compose service's environment, written as a map or as a list of NAME=value. */
    private static Map<String, String> composeEnv(Map<String, Object> service) {
        Map<String, String> env = new LinkedHashMap<>();
        Object environment = service.get("environment");
        if (environment instanceof Map<?, ?> entries) {
            entries.forEach((k, v) -> env.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
        } else {
            for (String entry : strings(environment)) {
                int equals = entry.indexOf('=');
                env.put(equals < 0 ? entry : entry.substring(0, equals), equals < 0 ? null : entry.substring(equals + 1));
            }
        }
        return env;
    }

    private static Object at(Map<String, Object> yaml, String... path) {
        Object current = yaml;
        for (String key : path) {
            if (!(current instanceof Map<?, ?> node)) {
                return null;
            }
            current = node.get(key);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object yaml) {
        return yaml == null ? Map.of() : (Map<String, Object>) yaml;
    }

    private static List<Object> list(Object yaml) {
        return yaml == null ? List.of() : new ArrayList<>((List<?>) yaml);
    }

    private static List<String> strings(Object yaml) {
        return list(yaml).stream().map(String::valueOf).toList();
    }

    private static List<Path> yamlFilesIn(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList();
        }
    }

    /** deploy/, whether the tests run from the module (Maven) or from the repository's root. */
    private static Path deployDirectory() {
        Path here = Path.of("").toAbsolutePath();
        return Files.isRegularFile(here.resolve("compose.yaml")) ? here : here.resolve("deploy");
    }
}
